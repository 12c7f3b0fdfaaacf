import SmithDomain
import SmithStore

/// `benchmark_results` (and through it the `leaderboard` view): SWE-bench scores with their resolved
/// percentage and 95% Wilson interval, computed here so every reader (Python included) sees the same
/// numbers without needing SQLite's math functions.
final class BenchmarkProjection: Projection {
    static let name = "benchmarks"
    static let eventTypes: [EventType] = [.benchmarkEvaluated]

    private let upsertResult: SQLiteStatement

    init(_ context: ProjectionContext) throws(ProjectionError) {
        upsertResult = try context.database.cachedStatement(
            """
            INSERT OR REPLACE INTO benchmark_results (name, benchmark, split, model, checkpoint, total, submitted,
                resolved, unresolved, error, empty_patch, incomplete, report_format, report_sha256, ids_sha256,
                resolved_pct, ci_low, ci_high, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        guard type == .benchmarkEvaluated else { return }
        var p = Parameters(upsertResult)
        try p.add(fields.string("name"))
        try p.add(fields.string("benchmark"))
        try p.add(fields.string("split"))
        try p.add(fields.optionalString("model"))
        try p.add(fields.optionalString("checkpoint"))
        let total = try fields.int("total")
        try p.add(total)
        try p.add(fields.int("submitted"))
        let resolved = try fields.int("resolved")
        try p.add(resolved)
        try p.add(fields.int("unresolved"))
        try p.add(fields.int("error"))
        try p.add(fields.int("empty_patch"))
        try p.add(fields.int("incomplete"))
        try p.add(fields.string("report_format"))
        try p.add(fields.string("report_sha256"))
        try p.add(fields.string("ids_sha256"))
        guard total >= 0, resolved >= 0, resolved <= total else {
            throw ApplyFailure("resolved (\(resolved)) must be between 0 and total (\(total))")
        }
        let interval = WilsonInterval(successes: resolved, trials: total)
        // 100 * resolved / total, in that order: 100 * (9 / 500) would print as 1.7999999999999998.
        try p.add(total > 0 ? Double(resolved) * 100 / Double(total) : nil)
        try p.add(interval.map { $0.low * 100 })
        try p.add(interval.map { $0.high * 100 })
        try p.add(event.recordedAt)
        try p.add(event.seq)
        try p.execute()
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
