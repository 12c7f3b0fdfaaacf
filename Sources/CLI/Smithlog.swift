import ArgumentParser
import Foundation
import SmithIngest

/// The `smithlog` command: an event-sourced experiment store for SWE-smith style agent training.
@main
struct Smithlog: ParsableCommand {
    /// Chooses the process's policies once, parses, runs; every error a command throws ends here, as one line on
    /// stderr and the exit status `ExitStatus` gives it.
    static func main() {
        HeapPolicy.install(.commandLine)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(RootOptions.arguments(Array(CommandLine.arguments.dropFirst())))
        } catch {
            // Bad usage, --help, --version: ArgumentParser prints them (usage errors exit 64).
            exitPrinting(error)
        }
        do {
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch  where ExitStatus.isArgumentParserRequest(error) {
            // `--help` comes back from `parseAsRoot` as a help command whose `run` throws the request.
            exitPrinting(error)
        } catch {
            Console.error(ExitStatus.message(error))
            Foundation.exit(ExitStatus.of(error))
        }
    }

    /// ArgumentParser's own ending (help, version, usage error), with a help text's examples moved to its end.
    static func exitPrinting(_ error: any Error) -> Never {
        guard exitCode(for: error) == .success else { exit(withError: error) }
        let text = fullMessage(for: error)
        if !text.isEmpty { print(HelpText.examplesLast(text)) }
        Foundation.exit(0)
    }

    // Every command, nested ones too, gives its `commandName`: without it ArgumentParser derives the name from the
    // type's (`String(describing:)`), protocol-conformance lookups that scanned the whole binary for each command
    // on every run (about 2 ms of each query's time).
    static let configuration = CommandConfiguration(
        commandName: "smithlog",
        abstract: "Record every step of a SWE-smith training pipeline as immutable events, and query it.",
        discussion: """
            The store is the nearest .smithlog folder, in the current folder or a parent (as git finds .git), \
            unless --store PATH (before or after the command) or $SMITHLOG_STORE says otherwise. \
            The LMDB event log inside it is the only source of truth; everything else is rebuilt from it. \
            `init` creates ./.smithlog in the current folder. \
            Names take a version: NAME is the latest, NAME@N version N. Exit status: 0 success, 1 failure, \
            3 not found, 4 damaged store, 64 bad usage.

            Examples:
              smithlog init
              smithlog --store /data/team/smithlog leaderboard
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, DatasetCommand.self, SubsetCommand.self, IngestCommand.self, LogCommand.self,
            ShowCommand.self, SQLCommand.self, RebuildCommand.self, SftCommand.self, CheckpointCommand.self,
            BenchCommand.self, RetractCommand.self, LeaderboardCommand.self, LineageCommand.self,
            CompareCommand.self, HistoryCommand.self, StatsCommand.self, VerifyCommand.self, ServeCommand.self,
            RemoteCommand.self, PushCommand.self, PullCommand.self, ReleaseNameCommand.self,
        ]
    )
}
