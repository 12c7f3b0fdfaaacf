extension ProjectionEngine {
    /// Whether `table` holds a row whose `name` column is `name` (runs, eval_runs, subsets, sft_datasets,
    /// checkpoints, benchmark_results: the natural keys users type). `table` is one of those constants.
    public func hasRow(in table: String, named name: String) throws -> Bool {
        try !query(sql: "SELECT 1 FROM \(table) WHERE name = ? LIMIT 1", arguments: [.text(name)]).rows.isEmpty
    }
}
