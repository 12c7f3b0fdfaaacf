import SmithDomain
import SmithStore

/// `eval_runs` and `verdicts` (and through them the `resolved` view): harness runs and their verdicts.
///
/// A newer verdict for the same eval run and instance supersedes the older row, which stays with
/// `superseded = 1`.
final class EvalProjection: Projection {
    static let name = "evals"
    static let eventTypes: [EventType] = [.evalRunStarted, .evalVerdictRecorded]

    private let upsertEvalRun: SQLiteStatement
    private let supersede: SQLiteStatement
    private let insertVerdict: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        upsertEvalRun = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO eval_runs (name, of_run, layout, summary_sha256, model, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        supersede = try db.cachedStatement(
            """
            UPDATE verdicts SET superseded = 1, superseded_by = ?
            WHERE eval_run = ? AND instance_id = ? AND superseded = 0
            """)
        insertVerdict = try db.cachedStatement(
            """
            INSERT INTO verdicts (seq, eval_run, instance_id, resolved, patch_exists, patch_applied, timed_out,
                f2p_success, f2p_failure, p2p_success, p2p_failure, report_sha256, of_run, trajectory, superseded,
                superseded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)
            """)
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
        let evalRun = try fields.string("eval_run")
        let instanceID = try fields.string("instance_id")
        var p = Parameters(insertVerdict)
        try p.add(event.seq)
        try p.add(evalRun)
        try p.add(instanceID)
        try p.add(fields.bool("resolved"))
        try p.add(fields.optionalBool("patch_exists"))
        try p.add(fields.optionalBool("patch_applied"))
        try p.add(fields.bool("timed_out"))
        try p.add(fields.int("f2p_success"))
        try p.add(fields.int("f2p_failure"))
        try p.add(fields.int("p2p_success"))
        try p.add(fields.int("p2p_failure"))
        try p.add(fields.string("report_sha256"))
        try p.add(fields.optionalString("of_run"))
        try p.add(fields.optionalString("trajectory"))
        try p.add(event.recordedAt)
        // Every field is read before the first write, so a bad payload leaves no half-applied event.
        var s = Parameters(supersede)
        try s.add(event.seq)
        try s.add(evalRun)
        try s.add(instanceID)
        try s.execute()
        try p.execute()
    }
}
