import SmithDomain
import SmithStore

/// `sft_datasets` and `sft_samples`: SFT builds in force and their lines.
///
/// A sample belongs to the build named by its `build` field. A new build of a name replaces the old one
/// and drops its samples; samples of a replaced build are ignored (see `MembershipRule`).
final class SftProjection: Projection {
    static let name = "sft"
    static let eventTypes: [EventType] = [.sftDatasetBuilt, .ftSampleEmitted]

    private let log: EventLog
    private let upsertDataset: SQLiteStatement
    private let dropOtherSamples: SQLiteStatement
    private let buildInForce: SQLiteStatement
    private let upsertSample: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        log = context.log
        upsertDataset = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO sft_datasets (name, build, style, transform, system_prompt_sha256, traj_run,
                eval_run, subset, only_resolved, file_name, export_sha256, lines, skipped_json, combined_from_json,
                seed, max_per_inst, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        dropOtherSamples = try db.cachedStatement("DELETE FROM sft_samples WHERE dataset = ? AND build <> ?")
        buildInForce = try db.cachedStatement("SELECT build, seq FROM sft_datasets WHERE name = ?")
        upsertSample = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO sft_samples (dataset, position, build, instance_id, trajectory, line_sha256, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        switch type {
        case .sftDatasetBuilt:
            let name = try fields.string("name")
            let build = event.id.hex
            var p = Parameters(upsertDataset)
            try p.add(name)
            try p.add(build)
            try p.add(fields.string("style"))
            try p.add(fields.string("transform"))
            try p.add(fields.optionalString("system_prompt_sha256"))
            try p.add(fields.optionalString("traj_run"))
            try p.add(fields.optionalString("eval_run"))
            try p.add(fields.optionalString("subset"))
            try p.add(fields.bool("only_resolved"))
            try p.add(fields.string("file_name"))
            try p.add(fields.string("export_sha256"))
            try p.add(fields.int("lines"))
            try p.add(fields.objectJSON("skipped"))
            try p.add(fields.optionalArrayJSON("combined_from"))
            try p.add(fields.optionalInt("seed"))
            try p.add(fields.optionalInt("max_per_inst"))
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
            var drop = Parameters(dropOtherSamples)
            try drop.add(name)
            try drop.add(build)
            try drop.execute()
        case .ftSampleEmitted:
            let dataset = try fields.string("dataset")
            let build = try fields.hexDigest("build")
            var p = Parameters(upsertSample)
            try p.add(dataset)
            try p.add(fields.int("position"))
            try p.add(build)
            try p.add(fields.string("instance_id"))
            try p.add(fields.optionalString("trajectory"))
            try p.add(fields.string("line_sha256"))
            try p.add(event.seq)
            try buildInForce.bind(1, dataset)
            var inForce: (id: String, seq: Int64)?
            try buildInForce.forEachRow { row in
                inForce = (row.string(0) ?? "", row.int64(1))
                return false
            }
            guard try MembershipRule.belongs(parent: build, stream: event.stream, inForce: inForce, log: log) else {
                return
            }
            try p.execute()
        default:
            break
        }
    }
}
