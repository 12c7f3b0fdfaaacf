import ArgumentParser
import SmithIngest

/// `smithlog checkpoint`: fine-tuning checkpoints.
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Record fine-tuning checkpoints.",
        discussion: """
            Examples:
              smithlog checkpoint record --config configs/train_qwen_7b.yml --epoch 3
            """, subcommands: [Record.self])

    /// `smithlog checkpoint record`: one CheckpointSaved.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a torchtune checkpoint: its config, hyper-parameters and the SFT dataset it trained on.",
            discussion: """
                The SFT dataset is matched by the SHA-256 of the file dataset.data_files names (looked for as given, \
                then next to the config), else, when that file is not here, by its file name. A config matching no \
                recorded dataset is recorded with the dataset unknown (and a note on stderr), not refused. The match \
                is the exact version (NAME@N) whose export has the file's SHA-256. The same config, epoch and \
                folder again record nothing; another under a recorded name is refused unless --new-version.

                A DPO config (dataset._component_ a preference dataset builder) records its data file's SHA-256 as \
                preference data instead of matching an SFT dataset; when checkpointer.checkpoint_dir is a recorded \
                checkpoint's folder, that checkpoint is linked as the parent (lineage shows it), and the base model \
                is ref_checkpointer's when the config has one.

                The training curve: --metrics names a torchtune DiskLogger log (log_<unix time>.txt, one \
                `Step N | name:value ...` line per step); without it, the newest log in the config's \
                metric_logger.log_dir is recorded when the config uses DiskLogger and the folder is here. It is \
                queried as `smithlog sql "SELECT * FROM training_metrics"`. Given for a checkpoint already recorded, \
                the curve is added to that version. A line that is not a step line refuses the record.

                Examples:
                  smithlog checkpoint record --config configs/train_qwen_7b.yml --epoch 3
                  smithlog checkpoint record --config train.yml --dir ckpt/epoch_2 --hash
                  smithlog checkpoint record --config train.yml --dir out/epoch_0 \\
                    --metrics out/logs/log_1717171717.txt
                  smithlog checkpoint record --config 8B_full_dpo.yaml --dir dpo/epoch_0 \\
                    --name qwen-7b-dpo
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The torchtune config YAML.") var config: String
        @Option(help: "Epoch (or step) the checkpoint was saved at (default: N of a --dir named epoch_N).")
        var epoch: Int?
        @Option(help: "The checkpoint folder, whose files are listed with their sizes.") var dir: String?
        @Option(help: "Checkpoint name (default: config file stem, plus -epochN).") var name: String?
        @Flag(help: "Also record the SHA-256 of every file in --dir.") var hash = false
        @Option(
            help: ArgumentHelp(
                "A torchtune DiskLogger log to record as the training curve (default: the newest in the config's "
                    + "metric_logger.log_dir, when it uses DiskLogger).", valueName: "log"))
        var metrics: String?
        @OptionGroup var versions: NewVersionOption

        func validate() throws {
            if hash && dir == nil { throw ValidationError("--hash needs --dir") }
        }

        func run() throws {
            let log = try storeOptions.openLog()
            let r = try CheckpointRecord.run(
                .init(
                    config: config, epoch: epoch, dir: dir, name: name, hashFiles: hash,
                    newVersion: versions.newVersion, metrics: metrics), log: log)
            if let why = r.whyUnknown {
                Console.note("note: SFT dataset unknown: \(why); recorded with sft_match unknown")
            }
            for note in r.notes { Console.note("note: " + note) }
            let data =
                r.dataKind == "preference"
                ? "preference data" : "SFT dataset: \(r.sftDataset ?? "unknown"), by \(r.match)"
            let parent = r.parent.map { ", from \($0)" } ?? ""
            let curve = r.curve.map { ", curve: \($0)" } ?? ""
            printReport(r.report, verb: "checkpoint record: \(r.name) (\(data)\(parent)\(curve))")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }
}
