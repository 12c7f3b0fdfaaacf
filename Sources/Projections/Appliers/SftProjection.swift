import SmithDomain
import SmithJSON
import SmithStore

/// `sft_datasets` (a row per version: each build) and `sft_samples` (the lines of every build, pinned to it by
/// `build`, the SftDatasetBuilt's event id), with the versions of the run, eval run and subset they came from.
final class SftProjection: Projection {
    static let name = "sft"
    static let eventTypes: [EventType] = [.sftDatasetBuilt, .ftSampleEmitted]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertDataset: SQLiteStatement
    private let upsertSample: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        versions = try VersionedTable(.sft, db)
        pins = try ReferencePins([.run, .eval, .subset], db)
        insertDataset = try db.cachedStatement(
            """
            INSERT INTO sft_datasets (name, version, latest, retracted, build, style, transform, system_prompt_sha256,
                traj_run, traj_run_version, eval_run, eval_run_version, subset, subset_version, only_resolved,
                file_name, export_sha256, lines, skipped_json, combined_from_json, seed, max_per_inst, recorded_at,
                seq)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertSample = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO sft_samples (dataset, position, build, instance_id, trajectory, line_sha256, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        switch decoded {
        case .sftDatasetBuilt(let d):
            let version = try versions.next(d.name)
            var p = Parameters(insertDataset)
            try p.add(d.name)
            try p.add(version)
            try p.add(versions.retracted(d.name, version))
            try p.addHex(event.id)
            try p.add(d.style)
            try p.add(d.transform)
            try p.addHex(d.systemPrompt)
            try p.add(d.trajRun)
            try p.add(pins.version(d.trajRun, .run))
            try p.add(d.evalRun)
            try p.add(pins.version(d.evalRun, .eval))
            try p.add(d.subset)
            try p.add(pins.version(d.subset, .subset))
            try p.add(d.onlyResolved)
            try p.add(d.fileName)
            try p.addHex(d.export)
            try p.add(d.lines)
            try p.add(ColumnJSON.text(.object(d.skipped.map { ($0.0, .int($0.1)) })))
            try p.add(ColumnJSON.text(d.combinedFrom.map { .array($0.map(JSONValue.string)) }))
            try p.add(d.seed)
            try p.add(d.maxPerInstance)
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
            try versions.refreshLatest(d.name)
        case .ftSampleEmitted(let s):
            var p = Parameters(upsertSample)
            try p.add(s.dataset)
            try p.add(s.position)
            try p.addHex(s.build)
            try p.add(s.instanceID)
            try p.addHex(s.trajectory)
            try p.addHex(s.line)
            try p.add(event.seq)
            try p.execute()
        default:
            break
        }
    }
}
