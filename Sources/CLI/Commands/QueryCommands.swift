import ArgumentParser
import SmithJSON
import SmithQueries

struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Benchmark results ranked by resolved %, with 95% Wilson intervals, cost and lineage.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this benchmark (swe-bench_lite, swe-bench_verified, swe-bench-m).") var benchmark: String?
    @Flag(help: "Print a JSON list of rows.") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @Flag(help: "Print a Markdown table.") var markdown = false

    func validate() throws {
        if [json, csv, markdown].filter({ $0 }).count > 1 { throw ValidationError("choose one output format") }
    }

    func run() throws {
        try reportingErrors {
            let log = try storeOptions.openLog(readOnly: true)
            let rows = try Leaderboard.rows(
                benchmark: benchmark, projections: try Projections.caughtUp(storeOptions, log: log))
            if json {
                print(PythonJSON.dumps(.array(rows.map(\.json)), ensureASCII: false, indent: 2))
            } else if csv {
                print(Leaderboard.csv(rows), terminator: "")
            } else if markdown {
                print(Leaderboard.markdown(rows), terminator: "")
            } else {
                print(Leaderboard.table(rows), terminator: "")
            }
        }
    }
}

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Trace a benchmark result or checkpoint back to the dataset rows that made it.",
        discussion: "benchmark → checkpoint → SFT dataset → samples → trajectories → verdicts → subset → dataset.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "A benchmark result, checkpoint or SFT dataset name.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let log = try storeOptions.openLog(readOnly: true)
            let tree = try Lineage.tree(for: name, projections: try Projections.caughtUp(storeOptions, log: log))
            print(
                json ? PythonJSON.dumps(tree.json, ensureASCII: false, indent: 2) : Lineage.text(tree),
                terminator: json ? "\n" : "")
        }
    }
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two trajectory runs, eval runs or benchmark results instance by instance.",
        discussion: "Resolved counts, instances resolved by only one side, the exact McNemar p-value, per-repo counts.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The first run or result.") var a: String
    @Argument(help: "The second run or result.") var b: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let log = try storeOptions.openLog(readOnly: true)
            let r = try RunComparison.compare(
                a, b, log: log, projections: try Projections.caughtUp(storeOptions, log: log))
            print(
                json ? PythonJSON.dumps(RunComparison.json(r), ensureASCII: false, indent: 2) : RunComparison.text(r),
                terminator: json ? "\n" : "")
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Everything that happened to one instance, in order, across runs.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "A task instance id.") var instance: String
    @Flag(help: "Print JSON Lines (the form `show` prints).") var json = false

    func run() throws {
        try reportingErrors {
            let log = try storeOptions.openLog(readOnly: true)
            let events = try InstanceHistory.events(
                of: instance, log: log, projections: try Projections.caughtUp(storeOptions, log: log))
            if events.isEmpty { Console.note("no events for \(instance)") }
            if json {
                for e in events { print(PythonJSON.dumps(e.jsonValue, ensureASCII: false)) }
            } else {
                print(InstanceHistory.text(events), terminator: "")
            }
        }
    }
}
