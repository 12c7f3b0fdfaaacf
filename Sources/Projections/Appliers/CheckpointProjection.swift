import SmithDomain
import SmithJSON
import SmithStore

/// `checkpoints`: fine-tuning checkpoints (a row per version), their training config and the SFT data version
/// they trained on.
final class CheckpointProjection: Projection {
    static let name = "checkpoints"
    static let eventTypes: [EventType] = [.checkpointSaved]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertCheckpoint: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        versions = try VersionedTable(.checkpoint, db)
        pins = try ReferencePins([.sft, .checkpoint], db)
        insertCheckpoint = try db.cachedStatement(
            """
            INSERT INTO checkpoints (name, version, latest, retracted, config_json, config_sha256, base_model, lr,
                epochs, batch_size, gradient_accumulation_steps, max_seq_len, data_files, sft_dataset,
                sft_dataset_version, sft_match, epoch, dir, files_json, recorded_at, seq, data_kind, data_sha256,
                parent_checkpoint, parent_checkpoint_version)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        guard case .checkpointSaved(let c) = decoded else { return }
        let version = try versions.next(c.name)
        var p = Parameters(insertCheckpoint)
        try p.add(c.name)
        try p.add(version)
        try p.add(versions.retracted(c.name, version))
        try p.add(ColumnJSON.text(c.config))
        try p.addHex(c.configSHA256)
        try p.add(c.baseModel)
        try p.add(c.learningRate)
        try p.add(c.epochs)
        try p.add(c.batchSize)
        try p.add(c.gradientAccumulationSteps)
        try p.add(c.maxSeqLen)
        try p.add(c.dataFiles)
        try p.add(c.sftDataset)
        try p.add(pins.version(c.sftDataset, .sft))
        try p.add(c.sftMatch)
        try p.add(c.epoch)
        try p.add(c.dir)
        try p.add(
            ColumnJSON.text(
                .array(
                    c.files.map { f in
                        .object([
                            ("path", .string(f.path)), ("size", f.size.map { .int($0) } ?? .null),
                            ("sha256", f.sha256.map(JSONValue.string) ?? .null),
                        ])
                    })))
        try p.add(event.recordedAt)
        try p.add(event.seq)
        try p.add(c.dataKind)
        try p.addHex(c.dataSHA256)
        try p.add(c.parentCheckpoint)
        try p.add(pins.version(c.parentCheckpoint, .checkpoint))
        try p.execute()
        try versions.refreshLatest(c.name)
    }
}

/// JSON columns' text: compact JSON, for `json_extract()`.
enum ColumnJSON {
    static func text(_ value: JSONValue) -> String {
        String(decoding: PythonJSON.compactBytes(value), as: UTF8.self)
    }

    static func text(_ value: JSONValue?) -> String? { value.map { text($0) } }
}
