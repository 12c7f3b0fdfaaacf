import ArgumentParser
import SmithDomain
import SmithIngest

/// `smithlog release-name KIND NAME@N`: one NameReleased event, resolving a name conflict a push reported.
struct ReleaseNameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-name",
        abstract: "Give up a version of a name that another machine pushed first with other content.",
        discussion: """
            When `push` is refused because another machine already pushed NAME@N with other content, run the \
            command the refusal names: it appends one NameReleased event (nothing is deleted). The next push \
            sends that version's events without claiming the name, and here it counts as retracted, so a bare \
            NAME means the other versions. Record the content again under another name (or, after `pull`, with \
            --new-version) and push. Only a version recorded by this store can be released; releasing it again \
            adds nothing; a name or version not recorded exits 3.

            Examples:
              smithlog release-name dataset swesmith-sample@1
              smithlog release-name run baseline@2 \\
                --reason "the team's baseline@2 is another run"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "dataset, subset, run, eval, sft, checkpoint or bench.")
    var kind: String

    @Argument(help: "NAME (its latest version) or NAME@N.")
    var name: String

    @Option(help: "Why (kept in the log and shown as the version's retraction).")
    var reason = "another machine pushed this version of the name first"

    func validate() throws { try validateKind(kind, reason: reason) }

    func run() throws {
        let log = try storeOptions.openLog()
        let result = try NameRelease.run(kind: NamedKind(rawValue: kind)!, name: name, reason: reason, log: log)
        Console.note(
            result.alreadyReleased
                ? "release-name: \(kind) \(result.version) was already released; nothing added"
                : "release-name: \(kind) \(result.version) released; record it again under another name, then push")
        Projections.catchUpAfterWrite(storeOptions, log: log)
    }
}
