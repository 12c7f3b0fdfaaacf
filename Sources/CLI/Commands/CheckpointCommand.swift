import ArgumentParser
import SmithIngest

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Record fine-tuning checkpoints.", subcommands: [Record.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a torchtune checkpoint: its config, hyper-parameters and the SFT dataset it trained on.",
            discussion: """
                The SFT dataset is matched by the SHA-256 of the file dataset.data_files names (when it exists here),
                else by file name; a config matching no recorded dataset is recorded with the dataset unknown.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The torchtune config YAML.") var config: String
        @Option(help: "Epoch (or step) the checkpoint was saved at.") var epoch: Int?
        @Option(help: "The checkpoint folder, whose files are listed with their sizes.") var dir: String?
        @Option(help: "Checkpoint name (default: config file stem, plus -epochN).") var name: String?
        @Flag(help: "Also record the SHA-256 of every file in --dir.") var hash = false

        func run() throws {
            try reportingErrors {
                let log = try storeOptions.openLog()
                let engine = try Projections.caughtUp(storeOptions, log: log)
                let r = try CheckpointRecord.run(
                    .init(config: config, epoch: epoch, dir: dir, name: name, hashFiles: hash), log: log,
                    projections: engine)
                if r.match == "unknown" {
                    Console.note("note: \(config): its data file matches no recorded SFT dataset; recorded as unknown")
                }
                printReport(
                    r.report,
                    verb: "checkpoint record: \(r.name) (SFT dataset: \(r.sftDataset ?? "unknown"), by \(r.match))")
            }
        }
    }
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Record SWE-bench results.", subcommands: [Record.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a SWE-bench harness run report (schema_version 2) or an sb-cli report.",
            discussion: """
                Resolved % is resolved / the benchmark's full size (Lite 300, Verified 500, Multimodal 510), as the
                official leaderboard counts, not / the number submitted.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The report file.") var report: String
        @Option(help: "swe-bench_lite, swe-bench_verified or swe-bench-m.") var benchmark: String
        @Option(help: "Dataset split.") var split: String = "test"
        @Option(help: "The model evaluated (when it is not one of our checkpoints).") var model: String?
        @Option(help: "The recorded checkpoint evaluated.") var checkpoint: String?
        @Option(help: "Result name (default: the report's file stem).") var name: String?

        func run() throws {
            try reportingErrors {
                let log = try storeOptions.openLog()
                let engine = try Projections.caughtUp(storeOptions, log: log)
                let r = try BenchmarkRecord.run(
                    .init(
                        report: report, benchmark: benchmark, split: split, model: model, checkpoint: checkpoint,
                        name: name), log: log, projections: engine)
                printReport(
                    r.report, verb: "bench record: \(r.name) resolved \(String(format: "%.1f", r.resolvedPct))%")
            }
        }
    }
}
