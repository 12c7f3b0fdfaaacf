import ArgumentParser
import SmithDomain
import SmithJSON
import SmithProjections
import SmithQueries
import SmithStore

/// `smithlog history INSTANCE_ID`: one instance's events, across runs.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Everything that happened to one instance, in order, across runs.",
        discussion: """
            Its registration, subset selections, trajectories, verdicts and SFT lines (replaced ones included), \
            and the benchmark results whose id lists name it; events of a retracted version are marked with the \
            reason. Exit status 3 when nothing names the instance.

            Examples:
              smithlog history pandas-dev__pandas.95280573.pr_53652
              smithlog history pandas-dev__pandas.95280573.pr_53652 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "A task instance id.") var instance: String
    @Flag(
        help: """
            Print JSON Lines: each event as `show` prints it (benchmark results add `instance_in`, events of a \
            retracted version `retracted`).
            """)
    var json = false
    @OptionGroup var table: TableOptions

    /// The instance's events; an id nothing names exits 3 with the closest recorded ids ("did you mean").
    func entries(_ log: EventLog, _ projections: ProjectionEngine) throws -> [InstanceHistory.Entry] {
        do {
            return try InstanceHistory.entries(of: instance, log: log, projections: projections)
        } catch let error as LogError where error.code == .notFound {
            let close = Closest.matches(to: instance, in: try KnownValues.instances(projections))
            guard !close.isEmpty else { throw error }
            throw LogError(.notFound, error.message + "; did you mean " + close.joined(separator: " or ") + "?")
        }
    }

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let projections = try Projections.caughtUp(storeOptions, log: log)
        let entries = try entries(log, projections)
        if json {
            for e in entries { print(PythonJSON.dumps(e.json, ensureASCII: false)) }
        } else {
            try table.print { try InstanceHistory.table(entries, layout: $0) }
        }
    }
}
