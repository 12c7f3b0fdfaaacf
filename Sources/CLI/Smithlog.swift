import ArgumentParser

/// The `smithlog` command: an event-sourced experiment store for SWE-smith style agent training.
@main
struct Smithlog: ParsableCommand {
    static func main() {
        MemoryTuning.apply()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "smithlog",
        abstract: "Record every step of a SWE-smith training pipeline as immutable events, and query it.",
        discussion: """
            The store is ./.smithlog unless --store PATH or $SMITHLOG_STORE says otherwise. \
            The LMDB event log inside it is the only source of truth; everything else is rebuilt from it.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, DatasetCommand.self, SubsetCommand.self, IngestCommand.self, LogCommand.self,
            ShowCommand.self, SQLCommand.self, RebuildCommand.self, SftCommand.self, CheckpointCommand.self,
            BenchCommand.self, LeaderboardCommand.self, LineageCommand.self, CompareCommand.self, HistoryCommand.self,
            StatsCommand.self, VerifyCommand.self,
        ]
    )
}
