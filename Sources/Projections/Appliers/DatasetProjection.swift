import SmithDomain
import SmithStore

/// `datasets` and `instances`: the dataset files imported and their rows (each row's JSON stays in the log;
/// see `InstanceRowsView`).
final class DatasetProjection: Projection {
    static let name = "datasets"
    static let eventTypes: [EventType] = [.datasetImported, .instanceRegistered]

    private let upsertDataset: SQLiteStatement
    private let upsertInstance: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        upsertDataset = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO datasets (name, file_name, sha256, format, rows, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        upsertInstance = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO instances (dataset, instance_id, position, repo, bug_type, f2p_count, p2p_count,
                image_name, created_at, row_sha256, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        try p.add(try fields.hexDigest("row_sha256"))
        try p.add(event.seq)
        try p.execute()
    }
}
