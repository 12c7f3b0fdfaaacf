import ArgumentParser
import SmithIngest
import SmithProjections

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Record what SWE-agent and the evaluation harness wrote.",
        discussion: """
            Examples:
              smithlog ingest trajectories trajectories/lead/my-run --run my-run
              smithlog ingest eval logs/run_evaluation/my-eval --of-run my-run
            """,
        subcommands: [Trajectories.self, Eval.self])

    struct Trajectories: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trajectories",
            abstract: "Ingest a SWE-agent run-batch folder (trajectories/<user>/<run>/).",
            discussion: """
                Reads SWE-agent runs (<id>/<id>.traj, <id>.traj) and mini-swe-agent runs (<id>/<id>.traj.json, \
                1.x and 2.x); the run records which scaffold wrote it and its version. Records RunStarted and one \
                TrajectoryProduced per trajectory (the file and its patch kept as blobs, with its place in the \
                order the file system lists the folder, for `sft export --order ingest`). preds.json / \
                all_preds.jsonl / *.pred and run_batch_exit_statuses.yaml (or every exit_statuses_<time>.yaml, \
                a later one superseding an earlier one) are checked against the trajectories and disagreements \
                reported; predictions without a trajectory are counted in one line (--verbose lists them). The \
                model is the config's, else the trajectories' (replay_config, info.config.model). A folder in \
                which no trajectory can be read is refused. A bad file is skipped and counted; with --strict it \
                stops the ingest before anything is written. Running it again records only what is new: a run \
                grows when its folder is ingested again (SWE-agent resumes write into it). Another folder, model \
                or config under a recorded run name is refused unless --new-version records it as the next version. \
                --checkpoint C records the run as an inference run of recorded checkpoint C (NAME or NAME@N), e.g. \
                the fine-tuned model run on SWE-bench; --model M names the model when the folder does not.

                Examples:
                  smithlog ingest trajectories trajectories/lead/my-run --run my-run
                  smithlog ingest trajectories trajectories/lead/my-run --strict
                  smithlog ingest trajectories trajectories/lead/qwen-sft-verified \\
                    --checkpoint qwen-7b-sft
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The run folder.")
        var folder: String

        @Option(name: .customLong("run"), help: "Run name (default: the folder name).")
        var runName: String?

        @OptionGroup var versions: NewVersionOption

        @Flag(help: "Fail (exit 1, nothing written) on the first bad file instead of skipping it.")
        var strict = false

        @Flag(help: "Also list what the notes count (e.g. each predicted instance without a trajectory).")
        var verbose = false

        @Option(help: "The recorded checkpoint this inference run ran (NAME or NAME@N).")
        var checkpoint: String?

        @Option(help: "The model the run used, when the folder does not name it.")
        var model: String?

        func run() throws {
            let log = try storeOptions.openLog()
            let report = try TrajectoryIngest.run(
                folder: folder, runName: runName, newVersion: versions.newVersion, strict: strict, log: log,
                subsetFor: { try SubsetMatch.subset(for: $0, log: log) },
                progress: ProgressReporter.make("trajectories"), checkpoint: checkpoint, model: model)
            printReport(report, verb: "ingest trajectories", verbose: verbose)
            Projections.catchUpAfterWrite(storeOptions, log: log)
            if strict && !report.skipped.isEmpty {
                throw IngestError("--strict: \(report.skipped.count) file(s) could not be recorded (listed above)")
            }
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Ingest an evaluation folder (logs/run_evaluation/<run_id>/), SWE-smith or SWE-bench layout.",
            discussion: """
                Records EvalRunStarted and one EvalVerdictRecorded per instance report, linked to the trajectory \
                that was evaluated: the run given by --of-run, or the one recorded run covering every evaluated \
                instance (patch hashes break ties). An ambiguous match is reported and left unlinked. \
                --of-run takes NAME or NAME@N. The same folder again records only what is new; another evaluation \
                under a recorded name is refused unless --new-version. The SWE-bench harness's run.json (dataset, \
                split, created_at) is recorded with the run; its run report <model>.<run_id>.json is looked for next \
                to the run (and three folders up) unless --report names it, and a note says when none is found. Each \
                verdict gets a kind: resolved, unresolved, error, infra (the harness's infra_failure / \
                infra_failure_ids: the environment broke, counted apart from the model's failures) or missing (no \
                patch). A folder with no readable verdict, such as SWE-smith's logs/run_validation/<run_id>, is \
                refused and nothing is recorded.

                Examples:
                  smithlog ingest eval logs/run_evaluation/my-eval --of-run my-run
                  smithlog ingest eval logs/run_evaluation/my-eval --run my-eval --strict
                  smithlog ingest eval logs/run_evaluation/my-eval \\
                    --report reports/gpt-4o.my-eval.json
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The evaluation folder.")
        var folder: String

        @Option(name: .customLong("run"), help: "Evaluation run name (default: the folder's run id).")
        var runName: String?

        @Option(name: .customLong("of-run"), help: "The trajectory run that was evaluated (NAME or NAME@N).")
        var ofRun: String?

        @OptionGroup var versions: NewVersionOption

        @Flag(help: "Fail (exit 1, nothing written) on the first bad or missing report instead of skipping it.")
        var strict = false

        @Option(
            name: .customLong("report"),
            help: "The SWE-bench run report (<model>.<run_id>.json in the harness's --report_dir).")
        var runReport: String?

        func run() throws {
            let log = try storeOptions.openLog()
            let report = try EvalIngest.run(
                folder: folder, evalName: runName, ofRun: ofRun, newVersion: versions.newVersion, strict: strict,
                log: log, runReport: runReport,
                progress: ProgressReporter.make("eval"))
            printReport(report, verb: "ingest eval")
            Projections.catchUpAfterWrite(storeOptions, log: log)
            if strict && !report.skipped.isEmpty {
                throw IngestError("--strict: \(report.skipped.count) file(s) could not be recorded (listed above)")
            }
        }
    }
}
