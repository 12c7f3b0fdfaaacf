/// A table with history: one row per natural key, a replaced row moved to its `superseded_*` table.
///
/// The key is a unique index (`<table>_key`), not a primary key, so that a large catch-up into an empty
/// table can drop it, append rows in log order (much cheaper than inserting each into a key-ordered tree)
/// and build the key once at the end (see `KeyedUpsert`).
struct KeyedTable: Sendable {
    let name: String
    /// The two key columns (text), which are also the first two of `columns`.
    let key: (StaticString, StaticString)
    /// Every column, in the order appliers bind them.
    let columns: [String]

    var keyIndex: String { name + "_key" }

    static let trajectories = KeyedTable(
        name: "trajectories", key: ("run", "instance_id"),
        columns: [
            "run", "instance_id", "run_version", "seq", "event_id", "traj_sha256", "format", "exit_status",
            "submission_sha256",
            "instance_cost", "tokens_sent", "tokens_received", "api_calls", "steps", "swe_agent_version",
            "swe_rex_version", "recorded_at",
        ])

    static let verdicts = KeyedTable(
        name: "verdicts", key: ("eval_run", "instance_id"),
        columns: [
            "eval_run", "instance_id", "eval_version", "seq", "resolved", "patch_exists", "patch_applied", "timed_out",
            "f2p_success", "f2p_failure", "p2p_success", "p2p_failure", "report_sha256", "of_run", "trajectory",
            "recorded_at",
        ])

    static let all = [trajectories, verdicts]
}
