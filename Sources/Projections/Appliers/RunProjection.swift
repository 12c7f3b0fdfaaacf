import SmithDomain
import SmithStore

/// `runs` and `trajectories`: agent run-batches and every trajectory recorded for them.
///
/// A re-recorded trajectory (same run and instance, other bytes: a new event) replaces the row; the
/// schema's trigger moves the replaced one to `superseded_trajectories`, so the history stays queryable.
final class RunProjection: Projection {
    static let name = "runs"
    static let eventTypes: [EventType] = [.runStarted, .trajectoryProduced]

    private let upsertRun: SQLiteStatement
    private let trajectories: KeyedUpsert

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        upsertRun = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO runs (name, model, agent_version, config_file, config_json, config_sha256, subset,
                instances, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        trajectories = try KeyedUpsert(context, .trajectories)
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
        // A first recording inserts; a re-recording updates in place (the trigger keeps the old).
        try trajectories.run(&fields) { p, fields in
            try fields.bindString("run", &p)
            try fields.bindString("instance_id", &p)
            try p.add(event.seq)
            try p.addHex(event.id)
            try fields.bindString("traj_sha256", &p)
            try fields.bindString("format", &p)
            try fields.bindOptionalString("exit_status", &p)
            try fields.bindOptionalString("submission_sha256", &p)
            try p.add(fields.optionalDouble("instance_cost"))
            try p.add(fields.optionalInt("tokens_sent"))
            try p.add(fields.optionalInt("tokens_received"))
            try p.add(fields.optionalInt("api_calls"))
            try p.add(fields.int("steps"))
            try fields.bindOptionalString("swe_agent_version", &p)
            try fields.bindOptionalString("swe_rex_version", &p)
            try p.add(event.recordedAt)
        }
    }

    func flushPending() throws { try trajectories.flush() }

    func discardPending() { trajectories.discard() }
}
