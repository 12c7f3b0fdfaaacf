import SmithDomain
import SmithJSON
import SmithStore

/// `benchmark_results` (and through it the `leaderboard` views): SWE-bench scores (a row per version) with
/// their resolved percentage and 95% Wilson interval, computed here so every reader (Python included) sees the
/// same numbers without needing SQLite's math functions, and the checkpoint version they scored; and
/// `benchmark_instances`, the instances each result's id lists name.
final class BenchmarkProjection: Projection {
    static let name = "benchmarks"
    static let eventTypes: [EventType] = [.benchmarkEvaluated]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertResult: SQLiteStatement
    private let insertInstance: SQLiteStatement
    private let log: EventLog

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        log = context.log
        insertInstance = try db.cachedStatement(
            "INSERT INTO benchmark_instances (seq, instance_id, list) VALUES (?, ?, ?)")
        versions = try VersionedTable(.bench, db)
        pins = try ReferencePins([.checkpoint, .run], db)
        insertResult = try db.cachedStatement(
            """
            INSERT INTO benchmark_results (name, version, latest, retracted, benchmark, split, model, checkpoint,
                checkpoint_version, total, submitted, resolved, unresolved, error, empty_patch, incomplete,
                report_format, report_sha256, ids_sha256, resolved_pct, ci_low, ci_high, cost, recorded_at, seq,
                of_run, of_run_version, response_sha256, infra)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        guard case .benchmarkEvaluated(let b) = decoded else { return }
        guard b.total >= 0, b.resolved >= 0, b.resolved <= b.total else {
            throw ApplyFailure("resolved (\(b.resolved)) must be between 0 and total (\(b.total))")
        }
        let version = try versions.next(b.name)
        var p = Parameters(insertResult)
        try p.add(b.name)
        try p.add(version)
        try p.add(versions.retracted(b.name, version))
        try p.add(b.benchmark)
        try p.add(b.split)
        try p.add(b.model)
        try p.add(b.checkpoint)
        try p.add(pins.version(b.checkpoint, .checkpoint))
        try p.add(b.total)
        try p.add(b.submitted)
        try p.add(b.resolved)
        try p.add(b.unresolved)
        try p.add(b.error)
        try p.add(b.emptyPatch)
        try p.add(b.incomplete)
        try p.add(b.reportFormat)
        try p.addHex(b.report)
        try p.addHex(b.ids)
        let interval = WilsonInterval(successes: Int64(b.resolved), trials: Int64(b.total))
        // 100 * resolved / total, in that order: 100 * (9 / 500) would print as 1.7999999999999998.
        try p.add(b.total > 0 ? Double(b.resolved) * 100 / Double(b.total) : nil)
        try p.add(interval.map { $0.low * 100 })
        try p.add(interval.map { $0.high * 100 })
        try p.add(b.cost)
        try p.add(event.recordedAt)
        try p.add(event.seq)
        try p.add(b.ofRun)
        try p.add(pins.version(b.ofRun, .run))
        try p.addHex(b.response)
        try p.add(b.infra)
        try p.execute()
        try versions.refreshLatest(b.name)
        try recordInstances(b.ids, seq: event.seq)
    }

    /// A row per instance the result's id lists name, with the first list naming it (the lists in the blob's
    /// order). A blob that cannot be read or is not an object of lists adds none: the score stands (`verify`
    /// reports a missing or damaged blob), and only `history` does not see the result.
    private func recordInstances(_ ids: Digest, seq: UInt64) throws {
        guard let bytes = try? log.blob(ids), let lists = (try? JSONParser.parse(bytes))?.objectValue else { return }
        var seen: Set<String> = []
        for (list, members) in lists {
            for case .string(let instance) in members.arrayValue ?? [] where seen.insert(instance).inserted {
                var p = Parameters(insertInstance)
                try p.add(seq)
                try p.add(instance)
                try p.add(list)
                try p.execute()
            }
        }
    }
}

/// The 95% Wilson score interval of a binomial proportion: better than the normal approximation for the
/// small counts and extreme rates benchmarks have.
struct WilsonInterval: Equatable {
    /// The two-sided 95% quantile of the standard normal distribution.
    static let z95 = 1.959963984540054

    var proportion: Double
    var low: Double
    var high: Double

    /// Nil when there are no trials.
    init?(successes: Int64, trials: Int64, z: Double = z95) {
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        proportion = p
        low = max(0, center - half)
        high = min(1, center + half)
    }
}
