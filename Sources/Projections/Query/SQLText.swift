/// SQL text for the few queries built around names users type.
public enum SQLText {
    /// A string literal with single quotes doubled: `'it''s'`.
    public static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

extension ProjectionEngine {
    /// Whether `table` holds a row whose `name` column is `name` (runs, eval_runs, subsets, sft_datasets,
    /// checkpoints, benchmark_results: the natural keys users type).
    public func hasRow(in table: String, named name: String) throws -> Bool {
        try !query(sql: "SELECT 1 FROM \(table) WHERE name = \(SQLText.literal(name)) LIMIT 1").rows.isEmpty
    }
}
