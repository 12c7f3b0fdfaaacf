import SmithDomain
import SmithStore

/// `runs` and `trajectories`: agent run-batches and every trajectory recorded for them.
///
/// A re-recorded trajectory (same run and instance, other bytes: a new event) supersedes the older
/// row, which stays with `superseded = 1` so the history is queryable.
final class RunProjection: Projection {
    static let name = "runs"
    static let eventTypes: [EventType] = [.runStarted, .trajectoryProduced]

    private let upsertRun: SQLiteStatement
    private let supersede: SQLiteStatement
    private let insertTrajectory: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        upsertRun = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO runs (name, model, agent_version, config_file, config_json, config_sha256, subset,
                instances, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        supersede = try db.cachedStatement(
            """
            UPDATE trajectories SET superseded = 1, superseded_by = ?
            WHERE run = ? AND instance_id = ? AND superseded = 0
            """)
        insertTrajectory = try db.cachedStatement(
            """
            INSERT INTO trajectories (seq, event_id, run, instance_id, traj_sha256, format, exit_status,
                submission_sha256, instance_cost, tokens_sent, tokens_received, api_calls, steps, swe_agent_version,
                swe_rex_version, superseded, superseded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        switch type {
        case .runStarted:
            var p = Parameters(upsertRun)
            try p.add(fields.string("name"))
            try p.add(fields.optionalString("model"))
            try p.add(fields.optionalString("agent_version"))
            try p.add(fields.optionalString("config_file"))
            try p.add(fields.optionalObjectJSON("config"))
            try p.add(fields.optionalString("config_sha256"))
            try p.add(fields.optionalString("subset"))
            try p.add(fields.int("instances"))
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
        case .trajectoryProduced:
            try applyTrajectory(event, &fields)
        default:
            break
        }
    }

    private func applyTrajectory(_ event: RecordedEvent, _ fields: inout PayloadFields) throws {
        let run = try fields.string("run")
        let instanceID = try fields.string("instance_id")
        var p = Parameters(insertTrajectory)
        try p.add(event.seq)
        try p.add(event.id.hex)
        try p.add(run)
        try p.add(instanceID)
        try p.add(fields.string("traj_sha256"))
        try p.add(fields.string("format"))
        try p.add(fields.optionalString("exit_status"))
        try p.add(fields.optionalString("submission_sha256"))
        try p.add(fields.optionalDouble("instance_cost"))
        try p.add(fields.optionalInt("tokens_sent"))
        try p.add(fields.optionalInt("tokens_received"))
        try p.add(fields.optionalInt("api_calls"))
        try p.add(fields.int("steps"))
        try p.add(fields.optionalString("swe_agent_version"))
        try p.add(fields.optionalString("swe_rex_version"))
        try p.add(event.recordedAt)
        // Every field is read before the first write, so a bad payload leaves no half-applied event.
        var s = Parameters(supersede)
        try s.add(event.seq)
        try s.add(run)
        try s.add(instanceID)
        try s.execute()
        try p.execute()
    }
}
