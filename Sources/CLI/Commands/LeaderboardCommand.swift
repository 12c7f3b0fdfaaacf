import ArgumentParser
import SmithJSON
import SmithProjections
import SmithQueries

/// `smithlog leaderboard`: benchmark results ranked by resolved %.
struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Benchmark results ranked by resolved %, with 95% Wilson intervals, cost and lineage.",
        discussion: """
            Resolved % is of the benchmark's full size, as the official leaderboard counts. Cost is the USD of the \
            agent run named like the result, when one is recorded. Each result shows its latest version (name@N) and \
            the versions of its lineage; retracted results are left out unless --include-retracted is given.

            Examples:
              smithlog leaderboard --benchmark swe-bench_verified
              smithlog leaderboard --markdown > LEADERBOARD.md
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this benchmark (swe-bench_lite, swe-bench_verified, swe-bench-m).") var benchmark: String?
    @Flag(help: "Also show retracted results, marked with the reason.") var includeRetracted = false
    @Flag(help: "Print a JSON list of rows.") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @Flag(help: "Print a Markdown table.") var markdown = false
    @OptionGroup var table: TableOptions

    func validate() throws {
        if [json, csv, markdown].filter({ $0 }).count > 1 { throw ValidationError("choose one output format") }
    }

    /// A `--benchmark` no result is recorded for is a typo or a wrong store, not an empty leaderboard: exit 3.
    func checkBenchmark(_ projections: ProjectionEngine) throws {
        guard let benchmark else { return }
        let known = try KnownValues.benchmarks(projections)
        guard known.contains(benchmark) else {
            throw KnownValues.unknown("--benchmark", benchmark, what: "a benchmark with recorded results", valid: known)
        }
    }

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let projections = try Projections.caughtUp(storeOptions, log: log)
        try checkBenchmark(projections)
        let rows = try Leaderboard.rows(
            benchmark: benchmark, includeRetracted: includeRetracted, projections: projections)
        if json {
            print(PythonJSON.dumps(.array(rows.map(\.json)), ensureASCII: false, indent: 2))
        } else if csv {
            print(Leaderboard.csv(rows), terminator: "")
        } else if markdown {
            print(Leaderboard.markdown(rows), terminator: "")
        } else {
            try table.print { try Leaderboard.table(rows, layout: $0) }
        }
    }
}
