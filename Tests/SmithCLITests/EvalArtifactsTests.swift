import Foundation
import SmithJSON
import SmithTestSupport
import Testing

/// Issue 16's evaluation artifacts on the committed fixtures: the SWE-bench harness's run.json and run report with
/// infra failures, sb-cli's report name and response, the site's leaderboards.json, SWE-smith's run_validation
/// (refused), and an inference run of a checkpoint linked to the result that scored it.
@Suite("CLI: harness metadata, sb-cli, leaderboards.json, inference runs")
struct EvalArtifactsTests {
    static let harness = CLIHarness.fixtures + "/swe-bench/harness-run"
    static let runFolder = harness + "/logs/run_evaluation/infra-demo"
    static let runReport = harness + "/openai__qwen-7b-sft.infra-demo.json"
    static let sbCli = CLIHarness.fixtures + "/sb-cli/swe-bench_lite__dev__sb-demo.json"
    static let leaderboards = CLIHarness.fixtures + "/leaderboard/leaderboards-excerpt.json"
    static let validation = CLIHarness.fixtures + "/swe-smith/run_validation/pandas-dev__pandas.95280573"
    static let demonstrations = CLIHarness.fixtures + "/swe-agent/demonstrations"

    @Test("run.json and the run report found three folders up are recorded; each verdict has its kind")
    func harnessRun() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.ok(["ingest", "eval", Self.runFolder])
        #expect(!r.stderr.contains("no run report"), "\(r.stderr)")
        let run = try cli.sqlRows(
            "SELECT model, dataset, split, created_at, summary_sha256, run_metadata_sha256 FROM eval_runs")
        #expect(run.count == 1)
        #expect(run.first?["dataset"] == .string("SWE-bench/SWE-bench_Lite"))
        #expect(run.first?["split"] == .string("test"))
        #expect(run.first?["created_at"] == .string("2026-08-19T10:04:31+00:00"))
        #expect(run.first?["model"] == .string("openai__qwen-7b-sft"))
        #expect(run.first?["summary_sha256"] != .null)
        #expect(run.first?["run_metadata_sha256"] != .null)
        let kinds = try cli.sqlRows("SELECT instance_id, kind, infra_reason FROM verdict_kinds ORDER BY instance_id")
        #expect(kinds.map { $0["kind"]?.stringValue ?? "" } == ["resolved", "unresolved", "infra", "unresolved"])
        #expect(kinds[2]["infra_reason"] == .string("container_unavailable"))
        #expect(kinds[3]["infra_reason"] == .string("no_tests_collected"))

        // compare counts the infra failure apart, in JSON and in text.
        let compare = try JSONParser.parse(try cli.ok(["compare", "infra-demo", "infra-demo", "--json"]).stdout)
        #expect(compare["a"]?["kinds"]?["infra"] == .int(1))
        #expect(compare["a"]?["kinds"]?["unresolved"] == .int(2))
        let text = try cli.ok(["compare", "infra-demo", "infra-demo"]).stdout
        #expect(text.contains("1 infra failure (not the model's)"))
        #expect(text.contains("kinds: A resolved 1, unresolved 2, infra 1; B resolved 1, unresolved 2, infra 1"))

        // The run report as a score: its infra_failure_ids are counted apart on the leaderboard.
        try cli.ok([
            "bench", "record", Self.runReport, "--benchmark", "swe-bench_lite", "--model", "openai/qwen-7b-sft",
        ])
        let board = try JSONParser.parse(try cli.ok(["leaderboard", "--json"]).stdout)
        #expect(board.arrayValue?.first?["infra"] == .int(2))
        #expect(try cli.ok(["leaderboard"]).stdout.contains("infra"))
    }

    @Test("a run report that is not next to the run is said in one note line, and --report finds it")
    func missingRunReport() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        // The run folder alone, without the harness's working folder around it (a link: the fixtures are read-only).
        let copy = cli.dir + "/infra-demo"
        try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: Self.runFolder)
        let r = try cli.ok(["ingest", "eval", copy])
        let notes = stderrLines(r).filter { $0.contains("no run report") }
        #expect(notes.count == 1)
        #expect(notes.first?.contains("openai__qwen-7b-sft.infra-demo.json") == true)
        #expect(notes.first?.contains("--report") == true)
        #expect(try cli.sqlRows("SELECT summary_sha256 FROM eval_runs").first?["summary_sha256"] == .null)

        // A --report that is not a run report: one line, nothing recorded.
        let before = try cli.logLines()
        let wrong = try cli.run(["ingest", "eval", copy, "--run", "wrong", "--report", Self.runFolder + "/run.json"])
        #expect(wrong.status == 1)
        #expect(stderrLines(wrong).count == 1)
        #expect(try cli.logLines() == before)

        let given = try cli.ok(["ingest", "eval", copy, "--run", "with-report", "--report", Self.runReport])
        #expect(!given.stderr.contains("no run report"))
        let row = try cli.sqlRows("SELECT summary_sha256 FROM eval_runs WHERE name = 'with-report'")
        #expect(row.first?["summary_sha256"] != .null)
    }

    @Test("bench record takes benchmark and split from an sb-cli report's name and records its response")
    func sbCliReport() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["bench", "record", Self.sbCli, "--model", "gpt-4o"])
        let row = try cli.sqlRows(
            "SELECT name, benchmark, split, total, resolved, response_sha256 FROM benchmark_results")
        #expect(row.first?["name"] == .string("swe-bench_lite__dev__sb-demo"))
        #expect(row.first?["benchmark"] == .string("swe-bench_lite"))
        #expect(row.first?["split"] == .string("dev"))
        #expect(row.first?["total"] == .int(23))
        let response = try #require(row.first?["response_sha256"]?.stringValue)
        let blob = try cli.ok(["show", "bench", "swe-bench_lite__dev__sb-demo", "--blob", response])
        #expect(
            blob.stdoutBytes
                == (try cli.read(CLIHarness.fixtures + "/sb-cli/swe-bench_lite__dev__sb-demo.response.json")))

        // A report named otherwise, without --benchmark: one line, nothing recorded.
        let other = try cli.copy(Self.runReport, to: "report.json")
        let refused = try cli.run(["bench", "record", other, "--model", "m"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("pass --benchmark"))
    }

    @Test("bench import-leaderboard records every entry with per-instance details; the others are counted")
    func leaderboardImport() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.ok(["bench", "import-leaderboard", Self.leaderboards])
        #expect(stderrLines(r).filter { $0.contains("no per-instance details") }.first?.contains("3 entries") == true)
        let rows = try cli.sqlRows(
            "SELECT name, benchmark, model, resolved, submitted, cost FROM benchmark_results ORDER BY name")
        #expect(
            rows.map { $0["name"]?.stringValue ?? "" } == [
                "20250807_mini-v1.7.0_gpt-5.bash-only", "20251124_mini-v1.16.0_claude-opus-4-5-20251101.bash-only",
                "20251124_mini-v1.16.0_claude-opus-4-5-20251101.verified",
            ])
        #expect(rows.allSatisfy { $0["benchmark"] == .string("swe-bench_verified") })
        #expect(rows[0]["model"] == .string("gpt-5-2025-08-07"))
        #expect(rows[0]["resolved"] == .int(3))
        #expect(rows[0]["submitted"] == .int(6))
        #expect(rows[0]["cost"] != .null)
        // The same file again records nothing; an unknown board is not found.
        let again = try cli.ok(["bench", "import-leaderboard", Self.leaderboards, "--board", "bash-only"])
        #expect(again.stderr.contains("0 new events, 2 already recorded"))
        #expect(try cli.run(["bench", "import-leaderboard", Self.leaderboards, "--board", "nope"]).status == 3)
        // A cut-off file is refused in one line naming it and the JSON path, and records nothing.
        let before = try cli.logLines()
        let cut = cli.dir + "/leaderboards-cut.json"
        try Data(try cli.read(Self.leaderboards).prefix(300)).write(to: URL(fileURLWithPath: cut))
        let broken = try cli.run(["bench", "import-leaderboard", cut])
        #expect(broken.status == 1)
        #expect(stderrLines(broken).count == 1)
        #expect(broken.stderr.hasPrefix("smithlog: \(cut): $."), "\(broken.stderr)")
        #expect(try cli.logLines() == before)
        let compare = try JSONParser.parse(
            try cli.ok([
                "compare", "20250807_mini-v1.7.0_gpt-5.bash-only",
                "20251124_mini-v1.16.0_claude-opus-4-5-20251101.bash-only", "--json",
            ]).stdout)
        #expect(compare["both_resolved"] == .int(3))
    }

    @Test("a SWE-smith eval run takes its model from the reports' model_name_or_path")
    func sweSmithModel() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["ingest", "eval", CLIHarness.fixtures + "/swe-smith/run_evaluation", "--run", "smith-eval"])
        let row = try cli.sqlRows("SELECT model, layout FROM eval_runs")
        #expect(row.first?["layout"] == .string("swe-smith"))
        #expect(row.first?["model"] == .string("swesmith_gen__claude-3.7__t-0.00_p-1.00__c.2.00__exp9__ig_orig"))
    }

    @Test("SWE-smith's run_validation folder is refused with one line and nothing recorded")
    func runValidationRefused() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let before = try cli.logLines()
        let r = try cli.run(["ingest", "eval", Self.validation])
        #expect(r.status == 1)
        #expect(stderrLines(r).count == 1)
        #expect(r.stderr.contains("not an evaluation run"))
        #expect(r.stderr.contains("validation"))
        #expect(try cli.logLines() == before)
    }

    @Test("an inference run of a checkpoint, linked to its score: in lineage and in compare's flipped instances")
    func inferenceRun() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "ckpt"])
        let a = Self.demonstrations + "/replay__marshmallow-code__marshmallow-1867__function_calling__install-1"
        let b = Self.demonstrations + "/replay__marshmallow-code__marshmallow-1867__function_calling_replace__install-1"
        try cli.ok(["ingest", "trajectories", a, "--run", "inf-a", "--checkpoint", "ckpt"])
        try cli.ok(["ingest", "trajectories", b, "--run", "inf-b", "--model", "gpt-4o"])
        #expect(
            try cli.sqlRows("SELECT checkpoint FROM runs WHERE name = 'inf-a'").first?["checkpoint"]
                == .string("ckpt@1")
        )

        // A harness run report resolving the instance (scored inf-a's predictions) and an sb-cli report not.
        let id = "marshmallow-code__marshmallow-1867"
        let resolved = SampleReports.harnessResolved(id)
        let unresolved = SampleReports.sbCliUnresolved(id)
        let reportA = cli.dir + "/openai__ckpt.inf-a.json"
        let reportB = cli.dir + "/swe-bench_verified__test__inf-b.json"
        try resolved.write(toFile: reportA, atomically: true, encoding: .utf8)
        try unresolved.write(toFile: reportB, atomically: true, encoding: .utf8)
        try cli.ok([
            "bench", "record", reportA, "--benchmark", "swe-bench_verified", "--checkpoint", "ckpt", "--run", "inf-a",
            "--name", "res-a",
        ])
        // No --run: linked to the run named like the sb-cli report's run id, and said so.
        let linked = try cli.ok(["bench", "record", reportB, "--model", "gpt-4o", "--name", "res-b"])
        #expect(stderrLines(linked).filter { $0.contains("linked to trajectory run 'inf-b@1'") }.count == 1)

        let lineage = try JSONParser.parse(try cli.ok(["lineage", "res-a", "--json"]).stdout)
        let children = lineage["children"]?.arrayValue ?? []
        #expect(children.map { $0["kind"]?.stringValue ?? "" } == ["checkpoint", "inference run"])
        #expect(children.last?["name"] == .string("inf-a"))
        #expect(children.last?["details"]?["checkpoint"] == .string("ckpt@1"))

        let compare = try JSONParser.parse(try cli.ok(["compare", "res-a", "res-b", "--json"]).stdout)
        let flip = try #require(compare["flipped"]?.arrayValue?.first)
        #expect(flip["instance_id"] == .string(id))
        #expect(flip["resolved_by"] == .string("a"))
        #expect(flip["a_trajectory"]?["run"] == .string("inf-a@1"))
        #expect(flip["b_trajectory"]?["run"] == .string("inf-b@1"))
        let text = try cli.ok(["compare", "res-a", "res-b"]).stdout
        #expect(text.contains("flipped instances and their trajectories"))
        #expect(text.contains("inf-a@1") && text.contains("inf-b@1"))
    }
}
