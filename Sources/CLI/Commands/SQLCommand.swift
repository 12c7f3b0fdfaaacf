import ArgumentParser
import SmithProjections
import SmithQueries

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run read-only SQL over the projections.",
        discussion: """
            Tables: datasets, instances, subsets, subset_members, runs, trajectories, eval_runs, verdicts, \
            resolved (view), sft_datasets, sft_samples, checkpoints, training_metrics, benchmark_results, leaderboard (view), \
            leaderboard_entries (view), timeline (view), retractions, skipped_events, and instance_rows (instances plus row_json, each row's exact JSON read from the log; smithlog only). \
            schema/projections.sql documents every column. Statements that write are refused, and so are \
            functions that expose the process's memory or files (fts3_tokenizer, load_extension, ...). A query \
            still running after --timeout seconds is stopped (exit 1). \
            Output: an aligned table, or --json (a list of objects), or --csv.

            Examples:
              smithlog sql "SELECT run, count(*) FROM trajectories GROUP BY run"
              smithlog sql --csv "SELECT * FROM verdicts WHERE resolved = 1" > v.csv
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "One SQL statement, e.g. \"SELECT * FROM resolved LIMIT 5\".")
    var statement: String

    @Flag(help: "Print a JSON list of objects.") var json = false
    @Flag(help: "Print CSV (RFC 4180).") var csv = false
    @Option(help: "Stop a query still running after this many seconds.") var timeout: Double = 30
    @OptionGroup var table: TableOptions

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        guard timeout > 0, timeout <= 1e9 else {
            throw ValidationError("--timeout must be a number of seconds above 0")
        }
    }

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let engine = try Projections.caughtUp(storeOptions, log: log)
        let result: (columns: [String], rows: [[SQLValue]])
        do {
            result = try ProjectionReader(path: engine.path, log: log).query(
                sql: statement, timeout: .milliseconds(Int64((timeout * 1000).rounded())))
        } catch let error as ProjectionError where error.code == .interrupted {
            throw ProjectionError(.interrupted, error.message + " (--timeout)", sqliteCode: error.sqliteCode)
        }
        guard json || csv else {
            return try table.print { try SQLTable.render(columns: result.columns, rows: result.rows, layout: $0) }
        }
        let out = OutputBuffer()
        out.write(
            json
                ? QueryOutput.json(columns: result.columns, rows: result.rows)
                : QueryOutput.csv(columns: result.columns, rows: result.rows))
        out.flush()
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Drop the projections and replay the whole log into them.",
        discussion: """
            Examples:
              smithlog rebuild
              smithlog --store /data/team/smithlog rebuild
            """)

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
