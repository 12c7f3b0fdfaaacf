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
            abstract: "Record a torchtune checkpoint: its config, hyper-parameters and the SFT dataset it trained on.",
            discussion: """
                The SFT dataset is matched by the SHA-256 of the file dataset.data_files names (looked for as given, \
                then next to the config), else, when that file is not here, by its file name. A config matching no \
                recorded dataset is recorded with the dataset unknown (and a note on stderr), not refused. The match \
                is the exact version (NAME@N) whose export has the file's SHA-256. The same config, epoch and \
                folder again record nothing; another under a recorded name is refused unless --new-version.

                Examples:
                  smithlog checkpoint record --config configs/train_qwen_7b.yml --epoch 3
                  smithlog checkpoint record --config train.yml --dir ckpt/epoch_2 --hash
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The torchtune config YAML.") var config: String
        @Option(help: "Epoch (or step) the checkpoint was saved at (default: N of a --dir named epoch_N).")
        var epoch: Int?
        @Option(help: "The checkpoint folder, whose files are listed with their sizes.") var dir: String?
        @Option(help: "Checkpoint name (default: config file stem, plus -epochN).") var name: String?
        @Flag(help: "Also record the SHA-256 of every file in --dir.") var hash = false
        @OptionGroup var versions: NewVersionOption

        func validate() throws {
            if hash && dir == nil { throw ValidationError("--hash needs --dir") }
        }

        func run() throws {
            let log = try storeOptions.openLog()
            let r = try CheckpointRecord.run(
                .init(
                    config: config, epoch: epoch, dir: dir, name: name, hashFiles: hash,
                    newVersion: versions.newVersion), log: log)
            if let why = r.whyUnknown {
                Console.note("note: SFT dataset unknown: \(why); recorded with sft_match unknown")
            }
            printReport(
                r.report,
                verb: "checkpoint record: \(r.name) (SFT dataset: \(r.sftDataset ?? "unknown"), by \(r.match))")
            Projections.catchUpAfterWrite(storeOptions, log: log)
        }
    }
}
