import ArgumentParser
import SmithProjections
import SmithQueries

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run read-only SQL over the projections.",
        discussion: """
            Tables: datasets, instances, subsets, subset_members, runs, trajectories, eval_runs, verdicts, \
            resolved (view), sft_datasets, sft_samples, checkpoints, benchmark_results, leaderboard (view), \
            leaderboard_entries (view), retractions, skipped_events, and instance_rows (instances plus row_json, each row's exact JSON read from the log; smithlog only). \
            schema/projections.sql documents every column. Statements that write are refused. \
            Output: an aligned table, or --json (a list of objects), or --csv.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "One SQL statement, e.g. \"SELECT * FROM resolved LIMIT 5\".")
    var statement: String

    @Flag(help: "Print a JSON list of objects.") var json = false
    @Flag(help: "Print CSV (RFC 4180).") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let engine = try Projections.caughtUp(storeOptions, log: log)
        let result = try engine.query(sql: statement)
        let text: String
        if json {
            text = QueryOutput.json(columns: result.columns, rows: result.rows)
        } else if csv {
            text = QueryOutput.csv(columns: result.columns, rows: result.rows)
        } else {
            text = QueryOutput.table(columns: result.columns, rows: result.rows)
        }
        let out = OutputBuffer()
        out.write(text)
        if !text.hasSuffix("\n") { out.write("\n") }
        out.flush()
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Drop the projections and replay the whole log into them.")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let engine = try ProjectionEngine(store: storeOptions.location)
        let total = try log.lastSeq()
        let report = try engine.rebuild(log: log) { p in
            Console.progress("rebuild: \(p.appliedThrough)/\(total) events")
        }
        Console.clearProgress()
        print("rebuilt projections from \(report.eventsRead) events in \(report.elapsed)")
    }
}
