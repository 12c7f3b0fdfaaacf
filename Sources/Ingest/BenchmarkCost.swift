import SmithJSON

/// What a benchmark run cost, from `bench record --cost` and the report's per-instance costs.
///
/// Harness and sb-cli reports carry no cost; a report may add the SWE-bench leaderboard's per-instance details
/// (`"per_instance_details": {"<instance id>": {"cost": 0.21, ...}, ...}`, the shape of
/// swe-bench.github.io's `data/leaderboards.json` rows), whose costs are kept with the id lists.
enum BenchmarkCost {
    /// `(instance id, USD)` in the report's order, or nil when the report has no per-instance cost. Throws a
    /// one-line `IngestError` (file, JSON path, what was expected) for a cost that is not a number ≥ 0.
    static func perInstance(_ report: JSONValue, file: String) throws -> [(String, Double)]? {
        guard let details = report["per_instance_details"] else { return nil }
        guard let entries = details.objectValue else {
            throw IngestError("\(file): $.per_instance_details: expected an object of instance ids")
        }
        var costs: [(String, Double)] = []
        for (id, detail) in entries {
            guard let value = detail["cost"], value != .null else { continue }
            guard let cost = value.doubleValue, cost.isFinite, cost >= 0 else {
                throw IngestError(
                    "\(file): $.per_instance_details[\(PythonJSON.dumps(.string(id)))].cost: expected a number of USD"
                        + " (0 or more)")
            }
            costs.append((id, cost))
        }
        return costs.isEmpty ? nil : costs
    }

    /// The run's cost: `given` (`--cost`) when there is one, else the sum of the per-instance costs.
    static func total(given: Double?, perInstance: [(String, Double)]?) throws -> Double? {
        if let given {
            guard given.isFinite, given >= 0 else {
                throw IngestError("--cost: expected the run's cost in USD (0 or more), found \(given)")
            }
            return given
        }
        return perInstance.map { $0.reduce(0) { $0 + $1.1 } }
    }
}
