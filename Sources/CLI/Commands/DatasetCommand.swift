import ArgumentParser
import SmithIngest

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Record task-instance datasets.",
        discussion: """
            Examples:
              smithlog dataset import swesmith.json --name swesmith
            """, subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a SWE-smith or SWE-bench dataset (JSON array or JSONL).",
            discussion: """
                Records one InstanceRegistered per row (its exact bytes kept as a blob) and one DatasetImported. \
                FAIL_TO_PASS / PASS_TO_PASS may be lists or JSON-encoded strings (as SWE-bench keeps them). \
                Importing the same file again records nothing new. Another file under a recorded name is refused \
                unless --new-version records it as the name's next version (NAME@2, ...). A row whose instance_id \
                is empty or not an instance id (printable ASCII without spaces or '/') refuses the file, with \
                nothing recorded.

                Examples:
                  smithlog dataset import swesmith.json --name swesmith
                  smithlog dataset import swesmith-v2.json --name swesmith --new-version
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The dataset file.")
        var file: String

        @Option(help: "Dataset name (default: the file name without extension).")
        var name: String?

        @OptionGroup var versions: NewVersionOption

        func run() throws {
            let log = try storeOptions.openLog()
            let report = try DatasetImport.run(
                file: file, name: name, newVersion: versions.newVersion, log: log,
                progress: ProgressReporter.make("import"))
            printReport(report, verb: "dataset import")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }
}
