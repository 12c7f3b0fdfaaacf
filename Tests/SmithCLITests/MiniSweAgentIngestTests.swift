import Foundation
import SmithJSON
import SmithStore
import Testing

/// `ingest trajectories` on real mini-swe-agent runs (Tests/Fixtures/mini-swe-agent, written by mini-swe-agent
/// 1.17.5 and 2.4.6), the refusals of issue 16 item 11, the model taken from trajectories and
/// `sft export --order ingest`.
@Suite("CLI: mini-swe-agent runs, listing order, refusals")
struct MiniSweAgentIngestTests {
    static let v1Run = CLIHarness.fixtures + "/mini-swe-agent/v1/run"
    static let v2Run = CLIHarness.fixtures + "/mini-swe-agent/v2/run"

    /// The patch preds.json holds for `id`.
    func predictedPatch(_ run: String, _ id: String) throws -> String {
        let preds = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: run + "/preds.json"))))
        return preds[id]?["model_patch"]?.stringValue ?? ""
    }

    @Test(
        "mini-swe-agent 1.x and 2.x runs: scaffold, version, model, cost, API calls, exit status, submission, steps",
        arguments: [
            (v1Run, "mini-v1", "1.17.5", "deterministic", "mini-swe-agent-1"),
            (v2Run, "mini-v2", "2.4.6", "deterministic_toolcall", "mini-swe-agent-1.1"),
        ])
    func miniRuns(_ run: (String, String, String, String, String)) throws {
        let (folder, name, version, model, format) = run
        let cli = CLIHarness()
        try cli.ok(["init"])
        let ingest = try cli.ok(["ingest", "trajectories", folder, "--run", name])
        // Both exit-status files are read and the later one supersedes the earlier for demo__calc-2: no
        // disagreement with the trajectories is reported, and nothing else is either.
        #expect(!ingest.stderr.contains("note:"), "\(ingest.stderr)")
        #expect(ingest.stderr.contains("3 new events, 0 already recorded, 0 skipped"), "\(ingest.stderr)")

        let runs = try cli.sqlRows("SELECT name, model, agent_version, scaffold, instances, config_file FROM runs")
        #expect(runs.count == 1)
        #expect(runs.first?["scaffold"]?.stringValue == "mini-swe-agent")
        #expect(runs.first?["agent_version"]?.stringValue == version)
        #expect(runs.first?["model"]?.stringValue == model)
        #expect(runs.first?["instances"]?.doubleValue == 2)
        #expect(runs.first?["config_file"] == .null)

        let trajectories = try cli.sqlRows(
            "SELECT instance_id, format, exit_status, instance_cost, api_calls, steps, submission_sha256, "
                + "traj_sha256, tokens_sent FROM trajectories WHERE run = '\(name)' ORDER BY instance_id")
        #expect(trajectories.map { $0["instance_id"]?.stringValue } == ["demo__calc-1", "demo__calc-2"])
        for (row, id) in zip(trajectories, ["demo__calc-1", "demo__calc-2"]) {
            #expect(row["format"]?.stringValue == format)
            #expect(row["exit_status"]?.stringValue == "Submitted")
            #expect(row["instance_cost"]?.doubleValue == 2)
            #expect(row["api_calls"]?.doubleValue == 2)
            // Two assistant messages: the edit and the submission.
            #expect(row["steps"]?.doubleValue == 2)
            #expect(row["tokens_sent"] == .null)
            // The submission blob is the patch preds.json holds; the trajectory blob is the raw file.
            let patch = try predictedPatch(folder, id)
            #expect(!patch.isEmpty)
            #expect(row["submission_sha256"]?.stringValue == Digest.sha256(Array(patch.utf8)).hex)
            let file = try cli.read("\(folder)/\(id)/\(id).traj.json")
            #expect(row["traj_sha256"]?.stringValue == Digest.sha256(file).hex)
        }
        // The two instances submitted different patches (the second run of demo__calc-2 swapped operands).
        #expect(trajectories[0]["submission_sha256"] != trajectories[1]["submission_sha256"])
        // Ingesting the folder again records nothing.
        let again = try cli.ok(["ingest", "trajectories", folder, "--run", name])
        #expect(again.stderr.contains("0 new events, 3 already recorded, 0 skipped"), "\(again.stderr)")
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("the later exit_statuses_<time>.yaml supersedes the earlier: without it, the earlier one disagrees")
    func exitStatusSuperseding() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(Self.v1Run, to: "out/mini-run")
        let statuses = try FileManager.default.contentsOfDirectory(atPath: run)
            .filter { $0.hasPrefix("exit_statuses_") }
            .sorted { Double($0.dropFirst(14).dropLast(5))! < Double($1.dropFirst(14).dropLast(5))! }
        #expect(statuses.count == 2)
        try FileManager.default.removeItem(atPath: run + "/" + statuses[1])
        let r = try cli.ok(["ingest", "trajectories", run])
        #expect(
            r.stderr.contains(
                "note: demo__calc-2: exit status is 'Submitted' in the trajectory but 'LimitsExceeded' in \(statuses[0])"
            ),
            "\(r.stderr)")
        #expect(!r.stderr.contains("demo__calc-1: exit status"), "\(r.stderr)")
    }

    @Test("a trajectory without an exit status takes the latest exit_statuses file's, not the superseded one")
    func exitStatusFromFiles() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(Self.v1Run, to: "out/unfinished-run")
        let path = run + "/demo__calc-2/demo__calc-2.traj.json"
        let text = String(decoding: try cli.read(path), as: UTF8.self)
        #expect(text.contains(#""exit_status": "Submitted""#))
        try Data(text.replacingOccurrences(of: #""exit_status": "Submitted""#, with: #""exit_status": null"#).utf8)
            .write(to: URL(fileURLWithPath: path))
        let r = try cli.ok(["ingest", "trajectories", run, "--run", "unfinished"])
        #expect(!r.stderr.contains("note:"), "\(r.stderr)")
        let rows = try cli.sqlRows("SELECT instance_id, exit_status FROM trajectories ORDER BY instance_id")
        // The earlier file says LimitsExceeded for demo__calc-2; the later one, Submitted.
        #expect(rows.map { $0["exit_status"]?.stringValue } == ["Submitted", "Submitted"])
    }

    @Test("a folder in which no trajectory can be read: one line, exit 1, nothing recorded")
    func noReadableTrajectory() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(Self.v2Run, to: "out/broken-run")
        for id in ["demo__calc-1", "demo__calc-2"] {
            try Data("{\"info\": {".utf8).write(to: URL(fileURLWithPath: "\(run)/\(id)/\(id).traj.json"))
        }
        let before = try cli.logLines()
        let r = try cli.run(["ingest", "trajectories", run])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(stderrLines(r).count == 1, "\(r.stderr)")
        #expect(stderrLines(r).allSatisfy { $0.count <= 300 }, "\(r.stderr)")
        #expect(r.stderr.contains("\(run): no trajectory could be read (2 files; first: "), "\(r.stderr)")
        #expect(try cli.logLines() == before)
        #expect(try cli.sqlRows("SELECT name FROM runs").isEmpty)
    }

    @Test("predictions without trajectories are one count line; --verbose lists their ids")
    func predictionsWithoutTrajectories() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(Self.v1Run, to: "out/partial-run")
        try FileManager.default.removeItem(atPath: run + "/demo__calc-2")
        let r = try cli.ok(["ingest", "trajectories", run, "--run", "partial"])
        let notes = stderrLines(r).filter { $0.hasPrefix("note:") }
        #expect(
            notes == ["note: the predictions name 1 instance with no trajectory in \(run) (--verbose lists them)"],
            "\(r.stderr)")
        let verbose = try cli.ok(["ingest", "trajectories", run, "--run", "partial", "--verbose"])
        #expect(verbose.stderr.contains("note: no trajectory for predicted instance demo__calc-2"), "\(verbose.stderr)")
    }

    @Test("a SWE-agent run without its config takes the model from the trajectories' replay_config")
    func modelFromTrajectories() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(CLIHarness.runFolder, to: "trajectories/lead/no-config")
        try FileManager.default.removeItem(atPath: run + "/run_batch.config.yaml")
        try cli.ok(["ingest", "trajectories", run])
        let runs = try cli.sqlRows("SELECT model, scaffold, agent_version, config_file FROM runs")
        #expect(runs.first?["model"]?.stringValue == "claude-3-7-sonnet-20250219")
        #expect(runs.first?["scaffold"]?.stringValue == "swe-agent")
        #expect(runs.first?["agent_version"]?.stringValue == "1.0.1")
        #expect(runs.first?["config_file"] == .null)
    }

    @Test("sft export --order ingest: the folder's listing order recorded at ingest, used after the folder is gone")
    func orderIngest() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(CLIHarness.runFolder, to: "trajectories/lead/sample-run")
        let eval = try cli.copy(CLIHarness.evalFolder, to: "logs/run_evaluation/sample-eval")
        // The order the file system lists the folder in, as Python's Path.iterdir() sees it.
        let listed = try FileManager.default.contentsOfDirectory(atPath: run).filter {
            FileManager.default.fileExists(atPath: "\(run)/\($0)/\($0).traj")
        }
        try cli.ok(["ingest", "trajectories", run])
        try cli.ok(["ingest", "eval", eval, "--of-run", "sample-run"])
        let positions = try cli.sqlRows("SELECT instance_id FROM trajectories")
        #expect(positions.count == listed.count)
        try cli.ok([
            "sft", "build", "s1", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ])
        try FileManager.default.removeItem(atPath: cli.dir + "/trajectories")
        try FileManager.default.removeItem(atPath: cli.dir + "/logs")

        func ids(_ order: String) throws -> [String] {
            let out = cli.dir + "/\(order).jsonl"
            try cli.ok(["sft", "export", "s1", "--order", order, "-o", out])
            return try cli.read(out).split(separator: 10).map {
                try JSONParser.parse(Array($0))["instance_id"]?.stringValue ?? ""
            }
        }
        let byID = try ids("id")
        let byListing = try ids("ingest")
        #expect(byID.count == 6)
        #expect(byID == byID.sorted())
        #expect(byListing == listed.filter(byID.contains))
        #expect(Set(byListing) == Set(byID))
        // The same lines either way: only their order differs.
        #expect(
            try Set(cli.read(cli.dir + "/id.jsonl").split(separator: 10))
                == Set(cli.read(cli.dir + "/ingest.jsonl").split(separator: 10)))
        #expect(try cli.run(["sft", "export", "s1", "--order", "readdir"]).status == 64)
    }

    @Test(
        "a mini-swe-agent run's SFT set (mini-v1) from the log: the golden lines of tools/golden/mini_sft.py",
        arguments: ["v1", "v2"])
    func miniSftEndToEnd(_ version: String) throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["ingest", "trajectories", version == "v1" ? Self.v1Run : Self.v2Run, "--run", "mini"])
        // A harness run that resolved both instances (the sample's report, its resolved flag set).
        let sampleEval = CLIHarness.sample + "/logs/run_evaluation/sample-eval"
        let sampleID = try #require(
            try FileManager.default.contentsOfDirectory(atPath: sampleEval).sorted().first { !$0.hasSuffix(".json") })
        let report = try String(decoding: cli.read("\(sampleEval)/\(sampleID)/report.json"), as: UTF8.self)
            .replacingOccurrences(of: "\"resolved\": false", with: "\"resolved\": true")
        let eval = cli.dir + "/logs/run_evaluation/mini-eval"
        for id in ["demo__calc-1", "demo__calc-2"] {
            try FileManager.default.createDirectory(atPath: "\(eval)/\(id)", withIntermediateDirectories: true)
            try Data(report.utf8).write(to: URL(fileURLWithPath: "\(eval)/\(id)/report.json"))
        }
        try cli.ok(["ingest", "eval", eval, "--of-run", "mini"])
        try cli.ok([
            "sft", "build", "mini-sft", "--traj-run", "mini", "--eval-run", "mini-eval", "--transform", "mini-v1",
        ])

        let golden = CLIHarness.repoRoot + "/Tests/SmithDatasetsTests/Golden/mini/lines"
        let expected = try ["demo__calc-1", "demo__calc-2"].flatMap {
            try cli.read("\(golden)/fixture.\(version).\($0).jsonl")
        }
        #expect(try cli.ok(["sft", "export", "mini-sft", "-o", "-"]).stdoutBytes == expected)
    }
}
