import Foundation
import SmithJSON
import Testing

@Suite("CLI: SFT datasets")
struct SftCommandTests {
    /// A store holding the sample pipeline up to the verdicts, ingested from a copy that can be deleted.
    func pipeline() throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.run(["init"])
        let run = try cli.copy(IngestCommandTests.sampleRun, to: "trajectories/lead/sample-run")
        let eval = try cli.copy(IngestCommandTests.sampleEval, to: "logs/run_evaluation/sample-eval")
        #expect(try cli.run(["ingest", "trajectories", run]).status == 0)
        #expect(try cli.run(["ingest", "eval", eval, "--of-run", "sample-run"]).status == 0)
        return cli
    }

    var prompt: String { CLIHarness.sample + "/agent/swesmith_infer.yaml" }

    @Test("build, then export from the log alone, with the run folder and projections deleted")
    func recreateFromLogAlone() throws {
        let cli = try pipeline()
        let build = try cli.run([
            "sft", "build", "s1", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", prompt,
        ])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("sft build: 6 lines (ft_xml_s1.jsonl), skipped 2 unresolved"))
        let first = cli.dir + "/first.jsonl"
        #expect(try cli.run(["sft", "export", "s1", "-o", first]).status == 0)
        let bytes = try cli.read(first)
        let lines = bytes.split(separator: 10)
        #expect(lines.count == 6)
        let ids = try lines.map { try JSONParser.parse(Array($0))["instance_id"]?.stringValue ?? "" }
        #expect(ids == ids.sorted())
        // Each line is {"messages": [...], "instance_id": ID}: keys in that order, Python separators.
        #expect(lines.allSatisfy { $0.starts(with: Array(#"{"messages": [{"role": "system", "content": "#.utf8)) })

        try FileManager.default.removeItem(atPath: cli.dir + "/trajectories")
        try FileManager.default.removeItem(atPath: cli.dir + "/logs")
        // Builds and exports read the log, not the projections; whatever projections exist go too.
        try? FileManager.default.removeItem(atPath: cli.store + "/projections.sqlite")
        let second = cli.dir + "/second.jsonl"
        let again = try cli.run(["sft", "export", "s1", "-o", second])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try cli.read(second) == bytes)
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("combine is recorded and exported with its metadata; building twice records nothing new")
    func combineAndIdempotence() throws {
        let cli = try pipeline()
        let args = ["--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from", prompt]
        #expect(try cli.run(["sft", "build", "a"] + args).status == 0)
        let twice = try cli.run(["sft", "build", "a"] + args)
        #expect(twice.stderr.hasSuffix("0 new events, 7 already recorded, 0 skipped\n"))
        #expect(try cli.run(["sft", "build", "b", "--transform", "xml-v2"] + args).status == 0)
        let combine = try cli.run(["sft", "combine", "ab", "--from", "a", "--from", "b", "--max-per-inst", "1"])
        #expect(combine.status == 0, "\(combine.stderr)")
        let out = cli.dir + "/out/ab.jsonl"
        try FileManager.default.createDirectory(atPath: cli.dir + "/out", withIntermediateDirectories: true)
        #expect(try cli.run(["sft", "export", "ab", "-o", out]).status == 0)
        #expect(try cli.read(out).split(separator: 10).count == 6)
        let metadata = try JSONParser.parse(try cli.read(cli.dir + "/out/metadata__ab.json"))
        #expect(metadata["seed"] == .number("24"))
        let list = try JSONParser.parse(try cli.run(["sft", "list", "--json"]).stdout)
        #expect(list.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["a", "ab", "b"])
    }

    @Test("clear refusals: unknown runs, a missing system prompt, a bad transform")
    func refusals() throws {
        let cli = try pipeline()
        let noRun = try cli.run([
            "sft", "build", "x", "--traj-run", "nope", "--eval-run", "sample-eval", "--system-prompt-from", prompt,
        ])
        #expect(noRun.status == 3)
        #expect(
            noRun.stderr
                == "smithlog: --traj-run nope: no trajectory run named 'nope' is recorded; recorded: 'sample-run'\n")
        let noPrompt = try cli.run(["sft", "build", "x", "--traj-run", "sample-run", "--eval-run", "sample-eval"])
        #expect(noPrompt.status != 0)
        #expect(noPrompt.stderr.contains("--system-prompt-from"))
        let badTransform = try cli.run([
            "sft", "build", "x", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--transform", "tool-v2",
            "--system-prompt-from", prompt,
        ])
        #expect(badTransform.status != 0)
        #expect(badTransform.stderr.contains("not an xml transform"))
        #expect(try cli.run(["sft", "export", "missing"]).status == 3)
    }
}
