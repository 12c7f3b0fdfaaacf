import SmithDomain
import SmithStore

/// `eval_runs` (a row per version) and `verdicts` (and through them the `resolved` view): harness runs and
/// their verdicts, each verdict pinned to the eval run version in force when it was recorded (`eval_version`).
///
/// A newer verdict for the same eval run and instance replaces the row; the schema's trigger moves the
/// replaced one to `superseded_verdicts`.
final class EvalProjection: Projection {
    static let name = "evals"
    static let eventTypes: [EventType] = [.evalRunStarted, .evalVerdictRecorded]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertEvalRun: SQLiteStatement
    private let verdicts: KeyedUpsert
    private let upsertKind: SQLiteStatement
    private var inForce: VersionInForce

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        versions = try VersionedTable(.eval, db)
        pins = try ReferencePins([.run], db)
        insertEvalRun = try db.cachedStatement(
            """
            INSERT INTO eval_runs (name, version, latest, retracted, of_run, of_run_version, layout, summary_sha256,
                model, recorded_at, seq, dataset, split, created_at, run_metadata_sha256)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertKind = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO verdict_kinds (eval_run, instance_id, eval_version, kind, infra_reason, seq)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        verdicts = try KeyedUpsert(context, .verdicts)
        inForce = try VersionInForce("eval_runs", db)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        switch decoded {
        case .evalRunStarted(let e):
            let version = try versions.next(e.name)
            var p = Parameters(insertEvalRun)
            try p.add(e.name)
            try p.add(version)
            try p.add(versions.retracted(e.name, version))
            try p.add(e.ofRun)
            try p.add(pins.version(e.ofRun, .run))
            try p.add(e.layout)
            try p.addHex(e.summary)
            try p.add(e.model)
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.add(e.dataset)
            try p.add(e.split)
            try p.add(e.createdAt)
            try p.addHex(e.runMetadata)
            try p.execute()
            try versions.refreshLatest(e.name)
            inForce.recorded(e.name, version)
        case .evalVerdictRecorded(let v):
            let version = try inForce.of(v.evalRun)
            // A first verdict inserts; a newer one updates in place (the trigger keeps the old).
            try verdicts.run(v.evalRun, v.instanceID) { p in
                try p.add(v.evalRun)
                try p.add(v.instanceID)
                try p.add(version)
                try p.add(event.seq)
                try p.add(v.resolved)
                try p.add(v.patchExists)
                try p.add(v.patchApplied)
                try p.add(v.timedOut)
                try p.add(v.failToPassSuccess)
                try p.add(v.failToPassFailure)
                try p.add(v.passToPassSuccess)
                try p.add(v.passToPassFailure)
                try p.addHex(v.report)
                try p.add(v.ofRun)
                try p.addHex(v.trajectory)
                try p.add(event.recordedAt)
            }
            var k = Parameters(upsertKind)
            try k.add(v.evalRun)
            try k.add(v.instanceID)
            try k.add(version)
            try k.add(v.kind)
            try k.add(v.infraReason)
            try k.add(event.seq)
            try k.execute()
        default:
            break
        }
    }

    func flushPending() throws {
        try verdicts.flush()
        inForce.forget()
    }

    func discardPending() {
        verdicts.discard()
        inForce.forget()
    }
}
