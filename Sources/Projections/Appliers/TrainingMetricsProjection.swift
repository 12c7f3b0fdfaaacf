import SmithDomain
import SmithStore

/// `training_metrics`: a checkpoint's training curve, a row per metric per logged line (TrainingMetricsRecorded).
///
/// A line that did not log a metric has no row for it; `nan` is a row whose value is NULL.
final class TrainingMetricsProjection: Projection {
    static let name = "training_metrics"
    static let eventTypes: [EventType] = [.trainingMetricsRecorded]

    private let insert: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        insert = try context.database.cachedStatement(
            """
            INSERT INTO training_metrics (checkpoint, checkpoint_version, step, name, value, line, log_sha256, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        guard case .trainingMetricsRecorded(let m) = decoded else { return }
        // The chunk's first line: chunks are whole runs of `chunkLines` lines of the log, blank lines aside, so
        // the line number is the position in the log's step lines.
        let firstLine = m.chunk * TrainingMetricsRecorded.chunkLines + 1
        for (i, step) in m.steps.enumerated() {
            for (name, column) in m.values {
                guard case .number(let value) = column[i] else { continue }
                var p = Parameters(insert)
                try p.add(m.checkpoint)
                try p.add(m.checkpointVersion)
                try p.add(step)
                try p.add(name)
                try p.add(value.isNaN ? nil : value)
                try p.add(firstLine + i)
                try p.addHex(m.logSHA256)
                try p.add(event.seq)
                try p.execute()
            }
        }
    }
}
