import ArgumentParser
import SmithJSON
import SmithQueries

/// `smithlog lineage NAME`: where a score or checkpoint came from.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Trace a benchmark result or checkpoint back to the dataset rows that made it.",
        discussion: "benchmark → checkpoint → SFT dataset → samples → trajectories → verdicts → subset → dataset.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "A benchmark result, checkpoint or SFT dataset name.") var name: String
    @Flag(help: "Print the tree as JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let log = try storeOptions.openLog(readOnly: true)
            let tree = try Lineage.tree(for: name, projections: try Projections.caughtUp(storeOptions, log: log))
            if json {
                print(PythonJSON.dumps(tree.json, ensureASCII: false, indent: 2))
            } else {
                print(Lineage.text(tree), terminator: "")
            }
        }
    }
}
