import ArgumentParser
import SmithQueries

/// `smithlog compare A B`: two runs or results, instance by instance.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two trajectory runs, eval runs or benchmark results instance by instance.",
        discussion: """
            Resolved counts, instances resolved by only one side, the exact McNemar p-value (two-sided binomial \
            test on those discordant instances), per-repo counts, cost and tokens where known. A trajectory run is \
            judged by the latest eval run of it; a benchmark result by its resolved ids. NAME means the latest \
            version, NAME@N a given one; retracted versions are not compared. Exit status 3 for an unknown name.

            Examples:
              smithlog compare my-run other-run
              smithlog compare qwen-7b-verified@1 qwen-7b-verified@2 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The first run or result: NAME or NAME@N.") var a: String
    @Argument(help: "The second run or result: NAME or NAME@N.") var b: String
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Also list every instance resolved by only one side (--json always lists them).") var ids = false

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let projections = try Projections.caughtUp(storeOptions, log: log)
        let r = try RunComparison.compare(a, b, log: log, projections: projections)
        // Written as it is made: two runs at a million events flip thousands of instances.
        let out = OutputBuffer()
        if json {
            RunComparison.writeJSON(r) { out.write(bytes: $0) }
        } else {
            RunComparison.writeText(r, ids: ids) { out.write($0) }
        }
        out.flush()
    }
}
