public import SmithProjections

/// The one line a query command prints to stderr when the projections passed over events they could not
/// apply; `smithlog verify` lists them (`ProjectionEngine.skippedEvents()`).
public enum SkippedWarning {
    /// `warning: 1 event could not be applied (seq 42: ...); see smithlog verify`, nil when none was skipped.
    public static func line(_ projections: ProjectionEngine) throws -> String? {
        line(try projections.skippedEvents())
    }

    /// The same line for `skipped` alone (one catch-up's, `CatchUpReport.skipped`), nil when it is empty.
    public static func line(_ skipped: [SkippedEvent]) -> String? {
        guard let first = skipped.first else { return nil }
        let count = skipped.count == 1 ? "1 event" : "\(skipped.count) events"
        return "warning: \(count) could not be applied (seq \(first.event.seq): \(first.reason)"
            + (skipped.count > 1 ? ", ..." : "") + "); see smithlog verify"
    }
}
