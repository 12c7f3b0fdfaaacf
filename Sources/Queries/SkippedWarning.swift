public import SmithProjections

/// The one line a query command prints to stderr when the projections passed over events they could not
/// apply; `smithlog verify` lists them (`ProjectionEngine.skippedEvents()`).
public enum SkippedWarning {
    /// `warning: 1 event could not be applied (seq 42: ...); see smithlog verify`, nil when none was skipped.
    public static func line(_ projections: ProjectionEngine) throws -> String? {
        let skipped = try projections.skippedEvents()
        guard let first = skipped.first else { return nil }
        let count = skipped.count == 1 ? "1 event" : "\(skipped.count) events"
        return "warning: \(count) could not be applied (seq \(first.event.seq): \(first.reason)"
            + (skipped.count > 1 ? ", ..." : "") + "); see smithlog verify"
    }
}
