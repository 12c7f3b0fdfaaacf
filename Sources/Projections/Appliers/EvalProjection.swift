import SmithDomain
import SmithStore

/// `eval_runs` and `verdicts` (and through them the `resolved` view): harness runs and their verdicts.
///
/// A newer verdict for the same eval run and instance replaces the row; the schema's trigger moves the
/// replaced one to `superseded_verdicts`.
final class EvalProjection: Projection {
    static let name = "evals"
    static let eventTypes: [EventType] = [.evalRunStarted, .evalVerdictRecorded]

    private let upsertEvalRun: SQLiteStatement
    private let verdicts: KeyedUpsert

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        upsertEvalRun = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO eval_runs (name, of_run, layout, summary_sha256, model, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        verdicts = try KeyedUpsert(context, .verdicts)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        switch type {
        case .evalRunStarted:
            var p = Parameters(upsertEvalRun)
            try p.add(fields.string("name"))
            try p.add(fields.optionalString("of_run"))
            try p.add(fields.string("layout"))
            try p.add(fields.optionalString("summary_sha256"))
            try p.add(fields.optionalString("model"))
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
        case .evalVerdictRecorded:
            try applyVerdict(event, &fields)
        default:
            break
        }
    }

    private func applyVerdict(_ event: RecordedEvent, _ fields: inout PayloadFields) throws {
        // A first verdict inserts; a newer one updates in place (the trigger keeps the old).
        try verdicts.run(&fields) { p, fields in
            try fields.bindString("eval_run", &p)
            try fields.bindString("instance_id", &p)
            try p.add(event.seq)
            try p.add(fields.bool("resolved"))
            try p.add(fields.optionalBool("patch_exists"))
            try p.add(fields.optionalBool("patch_applied"))
            try p.add(fields.bool("timed_out"))
            try p.add(fields.int("f2p_success"))
            try p.add(fields.int("f2p_failure"))
            try p.add(fields.int("p2p_success"))
            try p.add(fields.int("p2p_failure"))
            try fields.bindString("report_sha256", &p)
            try fields.bindOptionalString("of_run", &p)
            try fields.bindOptionalString("trajectory", &p)
            try p.add(event.recordedAt)
        }
    }

    func flushPending() throws { try verdicts.flush() }

    func discardPending() { verdicts.discard() }
}
