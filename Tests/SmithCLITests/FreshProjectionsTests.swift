import Foundation
import Testing

/// Every write command leaves the projections caught up, so pandas (here Python's `sqlite3`, which pandas reads
/// through) sees what it recorded as soon as it exits, with no smithlog query in between.
@Suite("CLI: projections are fresh after every write command")
struct FreshProjectionsTests {
    /// One write command and a query of the projections file that counts what it recorded.
    struct Step {
        var args: [String]
        var sql: String
        var expected: Int
    }

    @Test("Python's sqlite3 sees each write command's rows right after it exits")
    func everyWriteCommand() throws {
        let cli = CLIHarness()
        let s = CLIHarness.sample
        let steps = [
            Step(
                args: ["dataset", "import", s + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"],
                sql: "SELECT count(*) FROM datasets WHERE name = 'swesmith-sample'", expected: 1),
            Step(
                args: ["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"],
                sql: "SELECT count(*) FROM subset_members", expected: 8),
            Step(
                args: ["ingest", "trajectories", CLIHarness.runFolder, "--run", "sample-run"],
                sql: "SELECT count(*) FROM runs WHERE name = 'sample-run'", expected: 1),
            Step(
                args: ["ingest", "eval", CLIHarness.evalFolder, "--run", "sample-eval", "--of-run", "sample-run"],
                sql: "SELECT count(*) FROM eval_runs WHERE name = 'sample-eval'", expected: 1),
            Step(
                args: [
                    "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                    "--system-prompt-from", CLIHarness.inferConfig,
                ],
                sql: "SELECT count(*) FROM sft_datasets WHERE name = 'sample-sft'", expected: 1),
            Step(
                args: [
                    "sft", "build", "sample-sft-v2", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                    "--transform", "xml-v2", "--system-prompt-from", CLIHarness.inferConfig,
                ],
                sql: "SELECT count(*) FROM sft_datasets WHERE name = 'sample-sft-v2'", expected: 1),
            Step(
                args: ["sft", "combine", "combined", "--from", "sample-sft", "--from", "sample-sft-v2"],
                sql: "SELECT count(*) FROM sft_datasets WHERE name = 'combined'", expected: 1),
            Step(
                args: ["checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "ckpt"],
                sql: "SELECT count(*) FROM checkpoints WHERE name = 'ckpt'", expected: 1),
            Step(
                args: [
                    "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--checkpoint",
                    "ckpt", "--name", "ckpt-verified",
                ],
                sql: "SELECT count(*) FROM benchmark_results WHERE name = 'ckpt-verified'", expected: 1),
            Step(
                args: ["retract", "bench", "ckpt-verified", "--reason", "scored on a leaked split"],
                sql: "SELECT count(*) FROM benchmark_results WHERE name = 'ckpt-verified' AND retracted IS NOT NULL",
                expected: 1),
        ]
        try cli.ok(["init"])
        for step in steps {
            try cli.ok(step.args)
            #expect(try cli.python(count: step.sql) == step.expected, "after \(step.args.prefix(2))")
        }
        // The runs' rows too, not only their heads: the trajectories and verdicts of the sample.
        #expect(try cli.python(count: "SELECT count(*) FROM trajectories") == 8)
        #expect(try cli.python(count: "SELECT count(*) FROM verdicts") > 0)
    }

    @Test("a write that fails exits with its own error alone")
    func failedWrite() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.run([
            "bench", "record", cli.dir + "/no-such-report.json", "--benchmark", "swe-bench_verified", "--model", "m",
        ])
        #expect(r.status == 1)
        #expect(stderrLines(r).count == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("projections"))
    }

    @Test("projections that cannot be caught up after a write are a note; the write stands and exits 0")
    func catchUpFailure() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        // A folder where the projections file should be: SQLite cannot open it, and nothing deletes it.
        try FileManager.default.createDirectory(
            atPath: cli.store + "/projections.sqlite", withIntermediateDirectories: true)
        let r = try cli.run([
            "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--model", "m",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: the projections were not brought up to date"), "\(r.stderr)")
        #expect(try cli.logLines() == 1)
    }
}
