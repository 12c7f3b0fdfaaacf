import SmithDomain
import SmithStore

/// `checkpoints`: fine-tuning checkpoints, their training config and the SFT data they trained on.
final class CheckpointProjection: Projection {
    static let name = "checkpoints"
    static let eventTypes: [EventType] = [.checkpointSaved]

    private let upsertCheckpoint: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        upsertCheckpoint = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO checkpoints (name, config_json, config_sha256, base_model, lr, epochs, batch_size,
                gradient_accumulation_steps, max_seq_len, data_files, sft_dataset, sft_match, epoch, dir, files_json,
                recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        guard type == .checkpointSaved else { return }
        var p = Parameters(upsertCheckpoint)
        try p.add(fields.string("name"))
        try p.add(fields.objectJSON("config"))
        try p.add(fields.string("config_sha256"))
        try p.add(fields.optionalString("base_model"))
        try p.add(fields.optionalDouble("lr"))
        try p.add(fields.optionalInt("epochs"))
        try p.add(fields.optionalInt("batch_size"))
        try p.add(fields.optionalInt("gradient_accumulation_steps"))
        try p.add(fields.optionalInt("max_seq_len"))
        try p.add(fields.optionalString("data_files"))
        try p.add(fields.optionalString("sft_dataset"))
        try p.add(fields.string("sft_match"))
        try p.add(fields.optionalInt("epoch"))
        try p.add(fields.optionalString("dir"))
        try p.add(fields.arrayJSON("files"))
        try p.add(event.recordedAt)
        try p.add(event.seq)
        try p.execute()
    }
}
