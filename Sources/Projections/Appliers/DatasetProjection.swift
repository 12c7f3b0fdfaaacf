import SmithDomain
import SmithStore

/// `datasets` and `instances`: the dataset files imported and their rows, each row's JSON from its blob.
final class DatasetProjection: Projection {
    static let name = "datasets"
    static let eventTypes: [EventType] = [.datasetImported, .instanceRegistered]

    private let log: EventLog
    private let upsertDataset: SQLiteStatement
    private let upsertInstance: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        log = context.log
        upsertDataset = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO datasets (name, file_name, sha256, format, rows, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        upsertInstance = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO instances (dataset, instance_id, position, repo, bug_type, f2p_count, p2p_count,
                image_name, created_at, row_sha256, row_json, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        switch type {
        case .datasetImported:
            var p = Parameters(upsertDataset)
            try p.add(fields.string("name"))
            try p.add(fields.string("file_name"))
            try p.add(fields.string("sha256"))
            try p.add(fields.string("format"))
            try p.add(fields.int("rows"))
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
        case .instanceRegistered:
            try applyInstance(event, &fields)
        default:
            break
        }
    }

    private func applyInstance(_ event: RecordedEvent, _ fields: inout PayloadFields) throws {
        var p = Parameters(upsertInstance)
        try p.add(fields.string("dataset"))
        try p.add(fields.string("instance_id"))
        try p.add(fields.int("position"))
        try p.add(fields.optionalString("repo"))
        try p.add(fields.string("bug_type"))
        try p.add(fields.int("f2p_count"))
        try p.add(fields.int("p2p_count"))
        try p.add(fields.optionalString("image_name"))
        try p.add(fields.optionalString("created_at"))
        let rowHash = try fields.hexDigest("row_sha256")
        try p.add(rowHash)
        try p.add(try rowJSON(rowHash))
        try p.add(event.seq)
        try p.execute()
    }

    /// The row's bytes from its blob, as text.
    private func rowJSON(_ rowHash: String) throws -> String {
        guard let digest = Digest(hex: rowHash) else { throw ApplyFailure("row_sha256 is not a SHA-256") }
        do {
            return String(decoding: try log.blob(digest), as: UTF8.self)
        } catch let error as LogError where error.code == .notFound || error.code == .corrupt {
            throw ApplyFailure("cannot read the row's blob: \(error.message)")
        }
    }
}
