import ArgumentParser
import Foundation
import SmithDomain
import SmithIngest
import SmithProjections

struct SubsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subset", abstract: "Select task instances and write them out as SWE-smith does.",
        discussion: """
            Examples:
              smithlog subset create first-eight --dataset swesmith --where "position < 8"
              smithlog subset export first-eight
            """,
        subcommands: [Create.self, Export.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Select a dataset's instances with an SQL condition and record the selection.",
            discussion: """
                The condition is one SQL expression, evaluated by SQLite over the chosen dataset's rows only: \
                columns instance_id, repo, bug_type, f2p_count, p2p_count, image_name, created_at, position, and \
                row_json (the row's JSON from the log, for json_extract; slower, as each row is read). A ';', a \
                comment, a parameter, parentheses that do not balance, or SELECT, UNION, FROM, ... outside \
                parentheses are refused (a subquery in parentheses is fine); members always come from the dataset. \
                The subset records the dataset version it was chosen from (NAME@N). The same dataset version and \
                condition again record nothing; another condition under a recorded subset name is refused unless \
                --new-version records it as the next version (what was recorded against the old one stays pinned \
                to it).

                Examples:
                  smithlog subset create first-eight --dataset swesmith --where "position < 8"
                  smithlog subset create pr-2to5 --dataset swesmith --where \\
                    "instance_id LIKE '%.pr\\_%' ESCAPE '\\' AND f2p_count BETWEEN 2 AND 5"
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The subset's name.")
        var name: String

        @Option(help: "The dataset to select from (its import name; NAME or NAME@N of its latest version).")
        var dataset: String

        @Option(name: .customLong("where"), help: "One SQLite expression over the dataset's rows.")
        var condition: String

        @Option(help: "Stop evaluating the condition after this many seconds.") var timeout: Double = 10

        @OptionGroup var versions: NewVersionOption

        func validate() throws {
            guard timeout > 0, timeout <= 1e9 else {
                throw ValidationError("--timeout must be a number of seconds above 0")
            }
        }

        func run() throws {
            let log = try storeOptions.openLog()
            // Caught up by SubsetCreate only when it evaluates the condition (not when the subset is already recorded).
            let engine = try ProjectionEngine(store: storeOptions.location)
            let result = try SubsetCreate.run(
                name: name, dataset: dataset, condition: condition, newVersion: versions.newVersion, log: log,
                projections: engine, timeout: .milliseconds(Int64((timeout * 1000).rounded())))
            printReport(result.report, verb: "subset create: \(result.members) members")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a subset's rows exactly as Python's json.dump(rows, f, indent=2) would.",
            discussion: """
                Rows come from the log's blobs: the original dataset file is not needed. NAME is the latest \
                version, NAME@N version N. Like `sft export`, it writes a file in the current folder unless -o \
                says where: NAME.json (as SWE-smith names logs/experiments/<subset>.json); -o - writes to stdout.

                Examples:
                  smithlog subset export first-eight@1 -o first-eight.json
                  smithlog subset export first-eight -o - | jq length
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The subset: NAME (its latest version) or NAME@N.")
        var name: String

        @Option(name: .shortAndLong, help: "Output file (default: NAME.json in the current folder; - for stdout).")
        var output: String?

        func run() throws {
            let log = try storeOptions.openLog(readOnly: true)
            let bytes = try SubsetExport.bytes(name: name, log: log)
            let path = try output ?? Self.defaultFileName(name)
            try OutputFile.write(bytes, to: OutputFile.isStdout(path) ? nil : path)
            if !OutputFile.isStdout(path) {
                Console.note("subset export: \(name) to \(path) (\(bytes.count) bytes)")
            }
        }

        /// `NAME.json` in the current folder; a recorded name that would leave the folder is refused.
        static func defaultFileName(_ name: String) throws -> String {
            let fileName = VersionedName(parsing: name).name + ".json"
            try NameRule.checkFileName(fileName, from: name, hint: "pass -o FILE to choose where to write it")
            return fileName
        }
    }
}

/// Writes command output to a file atomically (temp file + rename), or to stdout.
enum OutputFile {
    /// Whether `-o PATH` means stdout (`-o -`, as the exports take it).
    static func isStdout(_ path: String) -> Bool { path == "-" }

    static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path else {
            let out = OutputBuffer()
            out.write(bytes: bytes)
            out.flush()
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw IngestError("\(path): cannot write: \(error.localizedDescription)")
        }
    }
}
