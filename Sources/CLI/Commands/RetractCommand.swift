import ArgumentParser
import SmithDomain
import SmithIngest

/// `smithlog retract KIND NAME[@N] --reason TEXT`: one Retracted event; the log keeps everything.
struct RetractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Withdraw a version of a dataset, subset, run, eval, sft, checkpoint or bench result.",
        discussion: """
            Appends one Retracted event with the reason; nothing is deleted. A retracted version leaves the \
            leaderboard, `sft list`, comparison candidates and the default views; `lineage` and `history` still \
            show it, marked with the reason. NAME is the latest version, NAME@N version N. Retracting something \
            not recorded exits 3; retracting it again adds nothing.

            Examples:
              smithlog retract bench qwen-7b-verified --reason "leaked test split"
              smithlog retract sft sample-sft@1 --reason "built from the wrong eval run"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "dataset, subset, run, eval, sft, checkpoint or bench.")
    var kind: String

    @Argument(help: "NAME (its latest version) or NAME@N.")
    var name: String

    @Option(help: "Why it is withdrawn (required; kept in the log and shown by lineage and history).")
    var reason: String

    func validate() throws { try validateKind(kind, reason: reason) }

    func run() throws {
        let log = try storeOptions.openLog()
        let result = try Retraction.run(kind: NamedKind(rawValue: kind)!, name: name, reason: reason, log: log)
        Console.note(
            result.alreadyRetracted
                ? "retract: \(kind) \(result.version) was already retracted; nothing added"
                : "retract: \(kind) \(result.version) retracted")
        printReport(result.report, verb: "retract")
        Projections.catchUpAfterWrite(storeOptions, log: log)
    }
}
