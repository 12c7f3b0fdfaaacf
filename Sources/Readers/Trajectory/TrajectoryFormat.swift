/// Which generation of SWE-agent wrote a `.traj` (judged by what its steps carry), or which mini-swe-agent
/// `trajectory_format` a `.traj.json` declares.
///
/// The format decides how SFT messages are taken from a trajectory: `messages` files hold the history
/// *after* each step, `query` files the exact input *of* each step; mini-swe-agent files hold one linear
/// `messages` list.
public enum TrajectoryFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// No `trajectory` list at all, only `history` (SWE-agent's `function_calling_simple.traj` demo).
    case historyOnly = "history-only"
    /// Steps without messages (SWE-agent before 1.0, and 1.0 demonstrations): `action`, `observation`, ....
    case pre1 = "pre-1.0"
    /// Steps carry `messages`, the conversation after the step (SWE-agent 1.0.x).
    case messages = "1.0-messages"
    /// Steps carry `query`, the model input of the step (SWE-agent 1.1 and later).
    case query = "1.1-query"
    /// mini-swe-agent 1.x (`trajectory_format: mini-swe-agent-1`): chat messages with `role` and `content`.
    case mini1 = "mini-swe-agent-1"
    /// mini-swe-agent 2.x (`mini-swe-agent-1.1`): assistant messages may carry `tool_calls`, observations may
    /// be `role: "tool"`, and the last message's `extra` holds `exit_status` and `submission`.
    case mini1_1 = "mini-swe-agent-1.1"

    /// The agent that writes files of this format.
    public var scaffold: Scaffold {
        switch self {
        case .historyOnly, .pre1, .messages, .query: return .sweAgent
        case .mini1, .mini1_1: return .miniSweAgent
        }
    }
}

/// The agent scaffold that wrote a run: what `ingest trajectories` detects and the run records.
public enum Scaffold: String, Sendable, Hashable, CaseIterable, Codable {
    /// SWE-agent: `<id>/<id>.traj` (1.x) or `<id>.traj` (before 1.0).
    case sweAgent = "swe-agent"
    /// mini-swe-agent: `<id>/<id>.traj.json` with a `trajectory_format` of `mini-swe-agent-1` or `-1.1`.
    case miniSweAgent = "mini-swe-agent"
}
