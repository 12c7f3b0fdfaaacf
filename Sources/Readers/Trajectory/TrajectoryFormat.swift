/// Which generation of SWE-agent wrote a `.traj`, judged by what its steps carry.
///
/// The format decides how SFT messages are taken from a trajectory: `messages` files hold the history
/// *after* each step, `query` files the exact input *of* each step.
public enum TrajectoryFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// No `trajectory` list at all, only `history` (SWE-agent's `function_calling_simple.traj` demo).
    case historyOnly = "history-only"
    /// Steps without messages (SWE-agent before 1.0, and 1.0 demonstrations): `action`, `observation`, ....
    case pre1 = "pre-1.0"
    /// Steps carry `messages`, the conversation after the step (SWE-agent 1.0.x).
    case messages = "1.0-messages"
    /// Steps carry `query`, the model input of the step (SWE-agent 1.1 and later).
    case query = "1.1-query"
}
