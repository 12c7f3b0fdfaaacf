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

    /// Binds an InstanceRegistered (schema version 2; older ones arrive upcast) as an `instances` row. The
    /// payload no longer holds `instance_id` and `row_sha256`: they come from the envelope, which always
    /// held them (the stream `instance/<id>` and the row's blob), bound from its bytes without a String.
    private func applyInstance(_ event: RecordedEvent, _ fields: inout PayloadFields) throws {
        guard let row = event.blobs.first else {
            throw ApplyFailure("an InstanceRegistered must refer to its row's blob, and this one has no blobs")
        }
        var stream = event.stream
        try stream.withUTF8 { stream in
            let prefix = Self.instancePrefix
            guard stream.count > prefix.count, stream.starts(with: prefix) else {
                throw ApplyFailure("an InstanceRegistered belongs to a stream instance/<id>, not '\(event.stream)'")
            }
            // Text is bound straight from the payload's and the stream's bytes, valid until `execute` below.
            var p = Parameters(upsertInstance)
            try fields.bindString("dataset", &p)
            try p.addText(UnsafeBufferPointer(rebasing: stream[prefix.count...]))
            try p.add(fields.int("position"))
            try fields.bindOptionalString("repo", &p)
            try fields.bindString("bug_type", &p)
            try p.add(fields.int("f2p_count"))
            try p.add(fields.int("p2p_count"))
            try fields.bindOptionalString("image_name", &p)
            try fields.bindOptionalString("created_at", &p)
            try p.addHex(row)
            try p.add(event.seq)
            try p.execute()
        }
    }

    /// `StreamName.instance("")` as bytes: the prefix of every InstanceRegistered's stream.
    private static let instancePrefix = Array(StreamName.instance("").utf8)
}
