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
              smithlog bench import-leaderboard leaderboards.json --board bash-only
            """, subcommands: [Record.self, ImportLeaderboard.self])

    /// `smithlog bench record`: one BenchmarkEvaluated.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a SWE-bench harness run report (schema_version 2) or an sb-cli report.",
            // Generated, the usage line would show --model and --checkpoint as two optional options; exactly one
            // is required.
            usage: """
                smithlog bench record <report> [--benchmark <benchmark>]
                  (--model <model> | --checkpoint <checkpoint>) [--split <split>]
                  [--run <run>] [--name <name>] [--new-version] [--store <store>]
                """,
            discussion: """
                Resolved % is resolved / the benchmark's full size (test: Lite 300, Verified 500, Multimodal 510; \
                dev: Lite 23, Multimodal 102), as the official leaderboard counts, not / the number submitted. \
                The benchmarks' id lists are not shipped, so ids are checked for their shape (owner__repo-number) \
                and counts against the benchmark's size, not for membership. --checkpoint takes NAME or NAME@N \
                (recorded as the version scored). The same report again under its name records nothing; another \
                report under a recorded name is refused unless --new-version. Without --benchmark, the benchmark \
                and split come from an sb-cli report's file name (<subset>__<split>__<run_id>.json); sb-cli's \
                <subset>__<split>__<run_id>.response.json beside it is recorded with it. --run R links the result \
                to the trajectory (inference) run whose predictions it scored; without it, a recorded run named \
                like the report's run id is linked, and a note says so. A harness report's infra_failure_ids are \
                counted apart from the model's failures.

                Examples:
                  smithlog bench record report.json --benchmark swe-bench_verified \\
                    --checkpoint qwen-7b-sft@2
                  smithlog bench record sb-cli.json --benchmark swe-bench_lite --model gpt-4o
                  smithlog bench record \\
                    sb-cli-reports/swe-bench_verified__test__qwen-sft.json \\
                    --checkpoint qwen-7b-sft --run qwen-sft
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The report file.") var report: String
        @Option(help: "swe-bench_lite, swe-bench_verified or swe-bench-m (default: from an sb-cli report's name).")
        var benchmark: String?
        @Option(help: "Dataset split (default: from an sb-cli report's name, else test).") var split: String?
        @Option(help: "The model evaluated (when it is not one of our checkpoints).") var model: String?
        @Option(help: "The recorded checkpoint evaluated (NAME or NAME@N).") var checkpoint: String?
        @Option(help: "Result name (default: the report's file name without .json).") var name: String?
        @Option(
            help: ArgumentHelp(
                "What the run cost in USD (default: the sum of the report's per_instance_details costs, if any).",
                valueName: "USD"))
        var cost: Double?
        @Option(name: .customLong("run"), help: "The trajectory run whose predictions were scored (NAME or NAME@N).")
        var scoredRun: String?
        @OptionGroup var versions: NewVersionOption

        func validate() throws {
            guard (model == nil) != (checkpoint == nil) else {
                throw ValidationError("give exactly one of --model and --checkpoint")
            }
            if let benchmark, BenchmarkCatalog.sizes[benchmark] == nil {
                throw ValidationError("--benchmark \(benchmark): expected one of \(BenchmarkCatalog.names)")
            }
        }

        func run() throws {
            let log = try storeOptions.openLog()
            let r = try BenchmarkRecord.run(
                .init(
                    report: report, benchmark: benchmark, split: split, model: model, checkpoint: checkpoint,
                    name: name, newVersion: versions.newVersion, cost: cost, run: scoredRun), log: log)
            printReport(
                r.report, verb: "bench record: \(r.name) resolved \(String(format: "%.1f", r.resolvedPct))%")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }

    /// `smithlog bench import-leaderboard`: the SWE-bench site's leaderboards.json, one result per entry with
    /// per-instance details.
    struct ImportLeaderboard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-leaderboard",
            abstract: "Record the SWE-bench site's leaderboards.json entries that have per-instance results.",
            discussion: """
                Reads swe-bench.github.io's data/leaderboards.json. Every entry with per_instance_details is \
                recorded as a benchmark result named <folder>.<board> (bash-only and Verified score \
                swe-bench_verified, Lite swe-bench_lite, Multimodal swe-bench-m): its model (the "Model:" tag, \
                else the entry's name), resolved ids and cost per instance. Entries without per-instance details \
                are counted in one line. The same file again records nothing new.

                Examples:
                  smithlog bench import-leaderboard leaderboards.json
                  smithlog bench import-leaderboard leaderboards.json --board bash-only
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The leaderboards.json file.") var file: String
        @Option(help: "Only this board (e.g. bash-only, Verified, Lite).") var board: String?

        func run() throws {
            let log = try storeOptions.openLog()
            let outcome = try LeaderboardImport.run(file: file, board: board, log: log)
            if outcome.withoutDetails > 0 {
                Console.note(
                    "note: \(outcome.withoutDetails) entr\(outcome.withoutDetails == 1 ? "y has" : "ies have") no "
                        + "per-instance details (or a board smithlog does not score); not recorded")
            }
            printReport(outcome.report, verb: "bench import-leaderboard: \(outcome.results.count) results")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }
}
