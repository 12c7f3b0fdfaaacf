import Foundation
import SmithJSON
import Testing

/// The store `tools/demo` wrote with the release at 002c907 (Fixtures/demo-store-002c907): today's code re-records
/// the demo's inputs into a copy of it and adds nothing, and every event keeps its seq and id.
@Suite("CLI: a store written by the previous release")
struct ReleaseStoreTests {
    static let fixture = CLIHarness.repoRoot + "/Tests/SmithCLITests/Fixtures/demo-store-002c907"

    /// (seq, id) of every line of a `log --json` listing.
    func seqsAndIds(_ jsonl: String) throws -> [String] {
        try jsonl.split(separator: "\n").map { line in
            let e = try JSONParser.parse(String(line))
            return "\(e["seq"].map { PythonJSON.dumps($0) } ?? "?") \(e["id"]?.stringValue ?? "?")"
        }
    }

    /// The sample run folder as the release recorded it: today's folder with each `.traj` replaced by the bytes the
    /// fixture store holds for it (tools/make-sample has changed some trajectories since; the rest of the folder
    /// has not changed).
    func releaseRunFolder(_ cli: CLIHarness, log jsonl: String) throws -> String {
        let folder = try cli.copy(CLIHarness.runFolder, to: "sample-run-002c907")
        var written = 0
        for line in jsonl.split(separator: "\n") {
            let e = try JSONParser.parse(String(line))
            guard e["type"]?.stringValue == "TrajectoryProduced", let seq = e["seq"].map({ PythonJSON.dumps($0) }),
                let id = e["payload"]?["instance_id"]?.stringValue
            else { continue }
            let r = try cli.run(["show", seq, "--first-blob"])
            #expect(r.status == 0, "show \(seq): \(r.stderr)")
            try Data(r.stdoutBytes).write(to: URL(fileURLWithPath: "\(folder)/\(id)/\(id).traj"))
            written += 1
        }
        #expect(written == 8)
        return folder
    }

    @Test("re-running the demo's recording commands on the same inputs adds 0 events and changes no (seq, id)")
    func rerecordAddsNothing() throws {
        let cli = CLIHarness()
        try FileManager.default.createDirectory(atPath: cli.store + "/log", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture + "/data.mdb", toPath: cli.store + "/log/data.mdb")
        let listing = String(decoding: try cli.read(Self.fixture + "/log.jsonl"), as: UTF8.self)
        let expected = try seqsAndIds(listing)
        #expect(expected.count == 62)
        #expect(try cli.logLines() == 62)

        let s = CLIHarness.sample
        let runFolder = try releaseRunFolder(cli, log: listing)
        let prompt = CLIHarness.inferConfig
        try FileManager.default.createDirectory(
            atPath: cli.dir + "/trajectories_sft", withIntermediateDirectories: true)
        // tools/demo's recording commands, in its order (the checkpoint runs where its data file is, as there).
        let steps: [[String]] = [
            ["dataset", "import", s + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"],
            ["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"],
            ["ingest", "trajectories", runFolder, "--run", "sample-run"],
            ["ingest", "eval", CLIHarness.evalFolder, "--run", "sample-eval", "--of-run", "sample-run"],
            ["ingest", "trajectories", runFolder, "--run", "sample-run"],
            [
                "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                "--system-prompt-from", prompt,
            ],
            [
                "sft", "build", "sample-sft-v2", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--transform",
                "xml-v2", "--system-prompt-from", prompt,
            ],
            [
                "sft", "combine", "sample-combined", "--from", "sample-sft", "--from", "sample-sft-v2",
                "--max-per-inst",
                "1", "--seed", "24",
            ],
            ["sft", "export", "sample-sft", "-o", cli.dir + "/trajectories_sft/ft_xml_sample-sft.jsonl"],
            [
                "checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "qwen-7b-sample",
            ],
            [
                "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--checkpoint",
                "qwen-7b-sample", "--name", "qwen-7b-sample-verified",
            ],
            [
                "bench", "record",
                CLIHarness.verified + "/20250803_mini-v1.0.0_qwen2-5-coder-32b-instruct.verified.json",
                "--benchmark", "swe-bench_verified", "--model", "qwen2.5-coder-32b-instruct",
            ],
        ]
        for step in steps {
            let r = try cli.run(step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
            if step[0] != "sft" || step[1] != "export" {
                #expect(r.stderr.contains(" 0 new events"), "\(step): \(r.stderr)")
            }
        }
        let after = try cli.run(["log", "--json"])
        #expect(after.status == 0)
        #expect(try seqsAndIds(after.stdout) == expected)
        #expect(try cli.run(["verify"]).status == 0)
    }
}
