import ArgumentParser
import SmithJSON
import SmithQueries

/// `smithlog lineage NAME`: where a score or checkpoint came from.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Trace a benchmark result or checkpoint back to the dataset rows that made it.",
        discussion: """
            benchmark → checkpoint → SFT dataset → samples → trajectories → verdicts → subset → dataset, each as \
            name@N: the version the record pinned, which never changes when a later version is recorded. Retracted \
            versions are marked with the reason. Exit status 3 when the name is unknown.

            Examples:
              smithlog lineage qwen-7b-sample-verified
              smithlog lineage qwen-7b-sft@2 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "A benchmark result, checkpoint or SFT dataset: NAME (the latest version) or NAME@N.")
    var name: String
    @Flag(help: "Print the tree as JSON.") var json = false
    @OptionGroup var table: TableOptions

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let projections = try Projections.caughtUp(storeOptions, log: log)
        let tree = try Lineage.tree(for: name, projections: projections)
        if json {
            print(PythonJSON.dumps(tree.json, ensureASCII: false, indent: 2))
        } else {
            print(try table.text { try Lineage.text(tree, layout: $0) }, terminator: "")
        }
    }
}
