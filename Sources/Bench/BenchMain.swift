import ArgumentParser

/// Benchmarks and load generators for smithlog; `tools/bench` runs them in release mode.
@main
struct SmithlogBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smithlog-bench",
        abstract: "Benchmarks and load generators for smithlog (run through tools/bench).",
        subcommands: [
            AppendLoad.self, LogBenchmark.self, IngestBenchmark.self, ProjectionsBenchmarkCommand.self,
            SftBenchmark.self, VerifyBenchmark.self,
        ])
}
