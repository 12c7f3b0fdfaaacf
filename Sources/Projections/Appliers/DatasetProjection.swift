import SmithDomain
import SmithStore

/// `datasets` and `instances`: the dataset files imported (a row per version) and their rows (each row's JSON
/// stays in the log; see `InstanceRowsView`).
final class DatasetProjection: Projection {
    static let name = "datasets"
    static let eventTypes: [EventType] = [.datasetImported, .instanceRegistered]

    private let versions: VersionedTable
    private let insertDataset: SQLiteStatement
    private let upsertInstance: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        versions = try VersionedTable(.dataset, db)
        insertDataset = try db.cachedStatement(
            """
            INSERT INTO datasets (name, version, latest, retracted, file_name, sha256, format, rows, recorded_at, seq)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertInstance = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO instances (dataset, instance_id, position, repo, bug_type, f2p_count, p2p_count,
                image_name, created_at, row_sha256, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        switch decoded {
        case .datasetImported(let d):
            let version = try versions.next(d.name)
            var p = Parameters(insertDataset)
            try p.add(d.name)
            try p.add(version)
            try p.add(versions.retracted(d.name, version))
            try p.add(d.fileName)
            try p.addHex(d.sha256)
            try p.add(d.format)
            try p.add(d.rows)
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
            try versions.refreshLatest(d.name)
        case .instanceRegistered(let row):
            // The stream names the instance: an empty or malformed id would make a row no query can name.
            do {
                try EventValidation.instanceID(row.instanceID, "InstanceRegistered.instance_id")
            } catch {
                throw ApplyFailure(error.description)
            }
            var p = Parameters(upsertInstance)
            try p.add(row.dataset)
            try p.add(row.instanceID)
            try p.add(row.position)
            try p.add(row.repo)
            try p.add(row.bugType)
            try p.add(row.failToPassCount)
            try p.add(row.passToPassCount)
            try p.add(row.imageName)
            try p.add(row.createdAt)
            try p.addHex(row.row)
            try p.add(event.seq)
            try p.execute()
        default:
            break
        }
    }
}
