import ArgumentParser
import SmithIngest

/// `smithlog bench`: SWE-bench results.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Record SWE-bench results.",
        discussion: """
            Examples:
              smithlog bench record report.json --benchmark swe-bench_verified \\
                --checkpoint qwen-7b-sft
            """, subcommands: [Record.self])

    /// `smithlog bench record`: one BenchmarkEvaluated.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a SWE-bench harness run report (schema_version 2) or an sb-cli report.",
            // Generated, the usage line would show --model and --checkpoint as two optional options; exactly one
            // is required.
            usage: """
                smithlog bench record <report> --benchmark <benchmark>
                  (--model <model> | --checkpoint <checkpoint>) [--split <split>]
                  [--name <name>] [--new-version] [--store <store>]
                """,
            discussion: """
                Resolved % is resolved / the benchmark's full size (test: Lite 300, Verified 500, Multimodal 510; \
                dev: Lite 23, Multimodal 102), as the official leaderboard counts, not / the number submitted. \
                The benchmarks' id lists are not shipped, so ids are checked for their shape (owner__repo-number) \
                and counts against the benchmark's size, not for membership. --checkpoint takes NAME or NAME@N \
                (recorded as the version scored). The same report again under its name records nothing; another \
                report under a recorded name is refused unless --new-version.

                Examples:
                  smithlog bench record report.json --benchmark swe-bench_verified \\
                    --checkpoint qwen-7b-sft@2
                  smithlog bench record sb-cli.json --benchmark swe-bench_lite --model gpt-4o
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The report file.") var report: String
        @Option(help: "swe-bench_lite, swe-bench_verified or swe-bench-m.") var benchmark: String
        @Option(help: "Dataset split.") var split: String = "test"
        @Option(help: "The model evaluated (when it is not one of our checkpoints).") var model: String?
        @Option(help: "The recorded checkpoint evaluated (NAME or NAME@N).") var checkpoint: String?
        @Option(help: "Result name (default: the report's file name without .json).") var name: String?
        @Option(
            help: ArgumentHelp(
                "What the run cost in USD (default: the sum of the report's per_instance_details costs, if any).",
                valueName: "USD"))
        var cost: Double?
        @OptionGroup var versions: NewVersionOption

        func validate() throws {
            guard (model == nil) != (checkpoint == nil) else {
                throw ValidationError("give exactly one of --model and --checkpoint")
            }
            guard BenchmarkCatalog.sizes[benchmark] != nil else {
                throw ValidationError("--benchmark \(benchmark): expected one of \(BenchmarkCatalog.names)")
            }
        }

        func run() throws {
            let log = try storeOptions.openLog()
            let r = try BenchmarkRecord.run(
                .init(
                    report: report, benchmark: benchmark, split: split, model: model, checkpoint: checkpoint,
                    name: name, newVersion: versions.newVersion, cost: cost), log: log)
            printReport(
                r.report, verb: "bench record: \(r.name) resolved \(String(format: "%.1f", r.resolvedPct))%")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }
}
