import ArgumentParser
import Foundation
import SmithDatasets
import SmithDomain
import SmithIngest
import SmithJSON
import SmithProjections
import SmithQueries
import SmithReaders

struct SftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft", abstract: "Build, export, combine and inspect SFT datasets.",
        discussion: """
            Examples:
              smithlog sft list
              smithlog sft export my-sft@1 -o ft_xml_my-sft.jsonl
            """,
        subcommands: [Build.self, Export.self, Combine.self, List.self, Show.self, Import.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Turn a run's resolved trajectories into an SFT dataset, byte-identical to SWE-smith's.",
            discussion: """
                Transforms: xml-v1 (SWE-smith repository; the published ft_xml_*.jsonl files; the default for \
                --style xml), xml-v2 (swesmith 0.0.9 on PyPI), ticks-v1, ticks-v2, tool-v2, and mini-v1 (style \
                mini) for mini-swe-agent runs: each trajectory's messages up to its last assistant message, as \
                role and content (plus tool_calls / tool_call_id in 2.x), everything else dropped. The xml style needs \
                the inference system prompt: --system-prompt-from a SWE-agent config such as SWE-smith's \
                agent/swesmith_infer.yaml (agent.templates.system_template). \
                Trajectories without a verdict in the eval run are skipped and counted. --traj-run, --eval-run and \
                --subset take NAME (the latest version) or NAME@N, and are recorded as NAME@N. Building NAME again \
                from the same inputs records nothing; other inputs (another transform, run, ...) are refused unless \
                --new-version records NAME@2: checkpoints trained on NAME@1 keep pointing at it, and \
                `sft export NAME@1` still gives its bytes.

                Examples:
                  smithlog sft build my-sft --traj-run my-run --eval-run my-eval \\
                    --system-prompt-from agent/swesmith_infer.yaml
                  smithlog sft build mini-sft --traj-run mini-run --eval-run mini-eval \\
                    --transform mini-v1
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The dataset's name (its file is ft_<style>_<name>.jsonl).") var name: String
        @Option(name: .customLong("traj-run"), help: "The trajectory run.") var trajRun: String
        @Option(name: .customLong("eval-run"), help: "The evaluation run deciding which are resolved.")
        var evalRun: String
        @Option(help: "xml, ticks, tool or mini (default: mini for --transform mini-v1, else xml).")
        var style: String?
        @Option(help: "Transform version (default: xml-v1 for xml, the latest for the others).") var transform: String?
        @Option(name: .customLong("system-prompt-from"), help: "SWE-agent config YAML with the system template.")
        var systemPromptFrom: String?
        @Flag(inversion: .prefixedNo, help: "Keep only resolved trajectories.") var onlyResolved = true
        @Option(help: "Only trajectories of instances in this subset (NAME or NAME@N).") var subset: String?
        @OptionGroup var versions: NewVersionOption

        func run() throws {
            // A mini transform reads another agent's trajectories: it implies its style; the others default to xml.
            let implied = transform.flatMap(SFTTransformVersion.init(rawValue:)).map(\.style) == .mini ? "mini" : "xml"
            guard let style = SFTStyle(rawValue: self.style ?? implied) else {
                throw ValidationError("--style must be xml, ticks, tool or mini")
            }
            let version: SFTTransformVersion
            if let transform {
                guard let v = SFTTransformVersion(rawValue: transform), v.style == style else {
                    throw ValidationError(
                        "--transform \(transform) is not \(English.a(style.rawValue)) transform ("
                            + SFTTransformVersion.allCases.filter { $0.style == style }.map(\.rawValue).joined(
                                separator: ", ") + ")")
                }
                version = v
            } else {
                version = style == .xml ? .xmlV1 : .current(for: style)
            }
            var prompt = ""
            if let systemPromptFrom {
                prompt = try AgentConfigReader.systemTemplate(atPath: systemPromptFrom)
            } else if style == .xml {
                throw ValidationError("the xml style needs --system-prompt-from CONFIG.yaml (the inference config)")
            }
            let log = try storeOptions.openLog()
            let result = try SftBuild.run(
                .init(
                    name: name, trajRun: trajRun, evalRun: evalRun, version: version, systemPrompt: prompt,
                    onlyResolved: onlyResolved, subset: subset, newVersion: versions.newVersion), log: log)
            let skips = result.skippedByReason.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            printReport(
                result.report,
                verb: "sft build: \(result.lines) lines (\(result.fileName))"
                    + (skips.isEmpty ? "" : ", skipped \(skips)"))
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Re-create an SFT dataset's jsonl from the log, checked against its recorded SHA-256.",
            discussion: """
                NAME is the latest version, NAME@N version N: `sft export X@1 -o x1.jsonl` re-creates the bytes a \
                checkpoint recorded against X@1 trained on, whatever was recorded under X since. Like `subset \
                export`, it writes a file in the current folder unless -o says where: the recorded file name \
                (ft_<style>_<name>.jsonl); -o - writes the lines to stdout. Combined datasets also get their \
                metadata__<name>.json beside the output file. --order ingest writes the lines in the order the \
                trajectory run's folder was listed (readdir) on the machine that ingested it: the file SWE-smith's \
                transform_to_ft, which iterates the folder, wrote there (only --order id is the recorded SHA-256).

                --format ft (the default) writes the lines as recorded (transform_to_ft's file; an imported set's \
                own bytes). --format collect writes swesmith 0.0.9's collect_trajs file (default name \
                <eval run>.<style>.jsonl) for a dataset built from a run: each line with resolved, model (when \
                the trajectory has a replay_config), traj_id (<id>.<generate_hash of the trajectory folder's path>) \
                and patch (the trajectory's submission) added, in the dataset's order where collect_trajs writes \
                them as its threads finish. collect_trajs takes every trajectory with a report: build with \
                --no-only-resolved for the same lines. The path hashed is the run folder recorded at ingest \
                (absolute); --traj-dir gives the path as typed to collect_trajs (e.g. trajectories/lead/run). \
                --format list writes transform_to_ft_list's lines: each line without instance_id.

                Examples:
                  smithlog sft export my-sft
                  smithlog sft export my-sft --order ingest -o ft.jsonl
                  smithlog sft export my-sft@1 -o - | wc -l
                  smithlog sft export all-sft --format collect \\
                    --traj-dir trajectories/lead/my-run
                  smithlog sft export my-sft --format list -o ft_list.jsonl
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The dataset: NAME (its latest version) or NAME@N.") var name: String
        @Option(
            name: .shortAndLong,
            help: "Output file (default: the recorded file name, in the current folder; - for stdout).")
        var output: String?
        @Option(
            help: ArgumentHelp(
                "id (the recorded file, by instance id) or ingest (the order the run folder was listed when ingested).",
                valueName: "order"))
        var order = SftExport.Order.id.rawValue
        @Option(help: "ft (the lines as recorded), collect (collect_trajs) or list (transform_to_ft_list).")
        var format: String = "ft"
        @Option(
            name: .customLong("traj-dir"),
            help: "--format collect: the trajectory folder's path as given to collect_trajs (default: as recorded).")
        var trajDir: String?

        func run() throws {
            guard let order = SftExport.Order(rawValue: order) else {
                throw ValidationError("--order must be id or ingest")
            }
            guard let format = SFTExportFormat(rawValue: format) else {
                throw ValidationError("--format must be ft, collect or list")
            }
            if trajDir != nil && format != .collect {
                throw ValidationError("--traj-dir is for --format collect only")
            }
            let log = try storeOptions.openLog(readOnly: true)
            // Streamed from the log's blobs to the output, hashed on the way: the file is never held whole.
            let source = try SftExport.source(name: name, log: log, order: order)
            let metadataFileName = format == .ft ? source.metadataFileName : nil
            if let output, OutputFile.isStdout(output) {
                let out = OutputBuffer()
                let summary = try SftFormattedExport.forEachLine(source, format: format, trajDir: trajDir, log: log) {
                    out.write(bytes: $0)
                }
                out.flush()
                if let metadataFileName {
                    Console.note("note: \(metadataFileName) is not written with -o -; pass -o FILE to get it beside")
                }
                noteLeftOut(summary)
                return
            }
            var paths = try source.outputPaths(output: output)
            if format != .ft {
                let defaultName = SftFormattedExport.fileName(source, format: format)
                if output == nil {
                    try NameRule.checkFileName(
                        defaultName, from: source.version, hint: "pass -o FILE to choose where to write it")
                }
                paths = (output ?? defaultName, nil)
            }
            let path = paths.jsonl
            var summary: SftFormattedExport.Summary?
            let size = try StreamedFile.write(to: path) { write in
                let s = try SftFormattedExport.forEachLine(source, format: format, trajDir: trajDir, log: log) {
                    try write($0)
                }
                summary = s
                return s.size
            }
            if format == .ft, let metadata = try source.metadata(log: log), let metadataPath = paths.metadata {
                try OutputFile.write(metadata, to: metadataPath)
            }
            if let summary { noteLeftOut(summary) }
            Console.note(
                "sft export: \(source.version)\(format == .ft ? "" : " as \(format.rawValue)") to \(path) (\(size) bytes)"
            )
        }

        private func noteLeftOut(_ summary: SftFormattedExport.Summary) {
            guard !summary.leftOut.isEmpty else { return }
            Console.note(
                "note: \(summary.leftOut.count) lines left out, as collect_trajs would: "
                    + summary.leftOut.prefix(3).joined(separator: "; "))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Record an SFT jsonl smithlog did not build (a published set, a colleague's file).",
            discussion: """
                Every line is kept as it is (a blob per line, as `sft build` stores them) with the file's SHA-256, \
                so `sft export NAME` gives the same bytes back and `checkpoint record` links a torchtune config \
                whose dataset.data_files is this file (by hash). A line's instance_id, when it has one, is \
                recorded with it and joins the store's task instances. Each line must be a JSON object; an empty \
                file is refused. Importing the same file under NAME again records nothing; another file under \
                NAME needs --new-version.

                Examples:
                  smithlog sft import ft_xml_example.jsonl --name swesmith-example
                  smithlog sft export swesmith-example -o - | sha256sum
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The SFT jsonl file.") var file: String
        @Option(help: "The dataset's name (exported under the file's own name).") var name: String
        @OptionGroup var versions: NewVersionOption

        func run() throws {
            let log = try storeOptions.openLog()
            let result = try SftImport.run(path: file, name: name, newVersion: versions.newVersion, log: log)
            printReport(
                result.report,
                verb:
                    "sft import: \(result.lines) lines (\(result.fileName)), \(result.withInstance) with an instance id, "
                    + "\(result.knownInstances) of them known to the store")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }

    struct Combine: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "combine",
            abstract: "Merge SFT datasets exactly as swesmith's combine_trajs does (same seed, same lines).",
            discussion: """
                Each --from is NAME (its latest version) or NAME@N, recorded as NAME@N. Combining again from the same \
                inputs records nothing; other inputs under a recorded name are refused unless --new-version.

                Examples:
                  smithlog sft combine all-sft --from my-sft --from other-sft@2
                  smithlog sft combine all-sft --from a --from b --max-per-inst 1 --seed 7
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The combined dataset's name (file <name>.jsonl).") var name: String
        @Option(name: .customLong("from"), help: "An input dataset (required; repeat, in order).")
        var from: [String]
        @Option(name: .customLong("max-per-inst"), help: "Most trajectories kept per instance.") var maxPerInst = 3
        @Option(help: "The shuffle seed.") var seed = 24
        @OptionGroup var versions: NewVersionOption

        func run() throws {
            let log = try storeOptions.openLog()
            let result = try SftCombine.run(
                name: name, from: from, maxPerInstance: maxPerInst, seed: seed, newVersion: versions.newVersion,
                log: log)
            for w in result.warnings { Console.note("note: \(w)") }
            printReport(result.report, verb: "sft combine: \(result.lines) lines")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List SFT dataset versions (retracted ones only with --include-retracted).",
            discussion: """
                Examples:
                  smithlog sft list
                  smithlog sft list --include-retracted --json
                """)
        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Also list retracted versions, with the reason.") var includeRetracted = false
        @OptionGroup var table: TableOptions

        func run() throws {
            let log = try storeOptions.openLog(readOnly: true)
            let engine = try Projections.caughtUp(storeOptions, log: log)
            let r = try SftList.rows(includeRetracted: includeRetracted, projections: engine)
            if json {
                print(SftList.json(r), terminator: "")
            } else {
                try table.print { try SftList.table(r, layout: $0) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Counts per repo and bug type, message and length statistics, inputs and lineage.",
            discussion: """
                Examples:
                  smithlog sft show my-sft
                  smithlog sft show my-sft@1 --json
                """)
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The dataset: NAME (its latest version) or NAME@N.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let log = try storeOptions.openLog(readOnly: true)
            let engine = try Projections.caughtUp(storeOptions, log: log)
            let export = try SftExport.run(name: name, log: log)
            let summary = try SftSummary.make(
                name: VersionedName(parsing: name).name, jsonl: export.jsonl, projections: engine)
            print(json ? PythonJSON.dumps(summary, ensureASCII: false, indent: 2) : SftSummary.text(summary))

        }
    }
}

/// Writes a file as its bytes come, to a temporary file beside it renamed into place once all are written: a
/// failed export (a line that does not hash as recorded) leaves no file, or the previous one, behind.
private enum StreamedFile {
    /// Calls `produce` with a writer for the file's bytes, in order; returns how many were written.
    static func write(to path: String, _ produce: (_ write: ([UInt8]) throws -> Void) throws -> Int) throws -> Int {
        let temporary = path + ".smithlog-\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw IngestError("\(path): cannot write: cannot create \(temporary)")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        do {
            defer { try? handle.close() }
            let size = try produce { bytes in
                buffer += bytes
                if buffer.count >= 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw IngestError("\(path): cannot write: rename failed (errno \(errno))")
            }
            return size
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
