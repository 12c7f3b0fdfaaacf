import Foundation
import SmithJSON
import SmithStore
import Testing

@Suite("CLI: checkpoints, benchmarks, leaderboard, lineage, compare, history")
struct PipelineTests {
    static let verified = CLIHarness.fixtures + "/leaderboard/verified"

    static func submissions() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: verified).filter { $0.hasSuffix(".verified.json") }.sorted()
    }

    func recordSubmissions(_ cli: CLIHarness) throws {
        for file in try Self.submissions() {
            let stem = String(file.dropLast(".verified.json".count))
            let r = try cli.run([
                "bench", "record", Self.verified + "/" + file, "--benchmark", "swe-bench_verified", "--model", stem,
                "--name", stem,
            ])
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
    }

    @Test("the 9 Verified submissions rank with the resolved % the leaderboard site claims")
    func leaderboardMatchesClaims() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        try recordSubmissions(cli)
        let claimed = try JSONParser.parse(try cli.read(Self.verified + "/claimed.json"))
        let rows = try JSONParser.parse(try cli.run(["leaderboard", "--json"]).stdout).arrayValue ?? []
        #expect(rows.count == 9)
        for row in rows {
            let name = try #require(row["name"]?.stringValue)
            let claim = try #require(claimed[name]?["resolved_pct"]?.doubleValue, "\(name) not in claimed.json")
            #expect(row["resolved_pct"]?.doubleValue == claim, "\(name)")
            #expect(row["total"] == .number("500"))
            let low = try #require(row["ci_low"]?.doubleValue)
            let high = try #require(row["ci_high"]?.doubleValue)
            #expect(low < claim && claim < high)
            for key in ["model", "checkpoint", "benchmark", "resolved"] { #expect(row[key] != nil) }
        }
        let pcts = rows.compactMap { $0["resolved_pct"]?.doubleValue }
        #expect(pcts == pcts.sorted(by: >))
        let markdown = try cli.run(["leaderboard", "--markdown"])
        #expect(markdown.stdout.hasPrefix("| rank | name |"))
        let csv = try cli.run(["leaderboard", "--csv"]).stdout.split(whereSeparator: \.isNewline)
        #expect(csv.count == 10)
    }

    @Test("compare gives set arithmetic over the resolved ids, and the exact McNemar p-value")
    func compareTwoSubmissions() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        try recordSubmissions(cli)
        let a = "20250726_mini-v1.0.0_gemini-2.5-pro"
        let b = "20250802_mini-v1.0.0_claude-4-opus-20250514"
        func resolved(_ stem: String) throws -> Set<String> {
            let report = try JSONParser.parse(try cli.read(Self.verified + "/\(stem).verified.json"))
            return Set(report["resolved_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        let (ra, rb) = (try resolved(a), try resolved(b))
        let r = try cli.run(["compare", a, b, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let c = try JSONParser.parse(r.stdout)
        #expect(c["only_a"]?.arrayValue?.compactMap(\.stringValue) == ra.subtracting(rb).sorted())
        #expect(c["only_b"]?.arrayValue?.compactMap(\.stringValue) == rb.subtracting(ra).sorted())
        #expect(c["both_resolved"] == .int(ra.intersection(rb).count))
        #expect(c["a"]?["resolved"] == .int(ra.count))
        // Independent value: Python's exact integers for b = 18, c = 88 (see McNemarTests).
        let p = try #require(c["mcnemar_exact_p"]?.doubleValue)
        #expect(abs(p - 2.970770255782769e-12) < 1e-20)
        let unknown = try cli.run(["compare", a, "no-such-run"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("no-such-run"))
    }

    @Test("the whole pipeline on the sample, and lineage from the score reaches the dataset file's hash")
    func endToEnd() throws {
        let cli = CLIHarness()
        let s = CLIHarness.sample
        let steps: [[String]] = [
            ["init"],
            ["dataset", "import", s + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"],
            ["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"],
            ["ingest", "trajectories", s + "/trajectories/lead/sample-run", "--run", "sample-run"],
            ["ingest", "eval", s + "/logs/run_evaluation/sample-eval", "--of-run", "sample-run"],
            [
                "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                "--system-prompt-from", s + "/agent/swesmith_infer.yaml",
            ],
            ["sft", "export", "sample-sft", "-o", cli.dir + "/trajectories_sft/ft_xml_sample-sft.jsonl"],
            ["checkpoint", "record", "--config", s + "/configs/train_qwen_7b.yml", "--epoch", "3", "--name", "ckpt"],
            [
                "bench", "record", s + "/bench/qwen-7b-sample.sample-bench.json", "--benchmark", "swe-bench_verified",
                "--checkpoint", "ckpt", "--name", "ckpt-verified",
            ],
        ]
        try FileManager.default.createDirectory(
            atPath: cli.dir + "/trajectories_sft", withIntermediateDirectories: true)
        for step in steps {
            let r = try cli.run(step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        // The checkpoint is pinned to the SFT version its data file matched.
        let checkpoint = try cli.head("checkpoint", "ckpt")
        #expect(checkpoint["sft_dataset"]?.stringValue == "sample-sft@1")
        #expect(checkpoint["sft_match"]?.stringValue == "sha256")
        // The leaderboard's lineage columns follow references recorded as NAME@N to their rows.
        let board = try #require(try cli.sqlRows("SELECT * FROM leaderboard").first)
        #expect(board["checkpoint"]?.stringValue == "ckpt@1")
        #expect(board["base_model"]?.stringValue == "Qwen2.5-Coder-7B-Instruct")
        #expect(board["sft_dataset"]?.stringValue == "sample-sft@1")
        #expect(board["traj_run"]?.stringValue == "sample-run@1")
        #expect(board["traj_model"] != nil && board["traj_model"] != .null)

        let lineage = try JSONParser.parse(try cli.run(["lineage", "ckpt-verified", "--json"]).stdout)
        var hashes: [String] = []
        func walk(_ n: JSONValue) {
            if n["kind"]?.stringValue == "dataset", let h = n["details"]?["sha256"]?.stringValue { hashes.append(h) }
            for c in n["children"]?.arrayValue ?? [] { walk(c) }
        }
        walk(lineage)
        let fileHash = Digest.sha256(try cli.read(s + "/datasets/swesmith-sample.json")).hex
        #expect(hashes == [fileHash])
        let text = try cli.run(["lineage", "ckpt-verified"]).stdout
        for kind in [
            "benchmark ckpt-verified", "checkpoint ckpt", "sft dataset sample-sft", "trajectory run sample-run",
            "subset first-eight", "dataset swesmith-sample", "verdicts sample-eval",
        ] {
            #expect(text.contains(kind), "lineage lacks \(kind)")
        }

        let history = try cli.run(["history", "pandas-dev__pandas.95280573.pr_53652", "--json"])
        let types = history.stdout.split(separator: "\n").compactMap {
            (try? JSONParser.parse(String($0)))?["type"]?.stringValue
        }
        #expect(
            types == [
                // The subset's definition names its members in one blob (SubsetDefined v2).
                "InstanceRegistered", "SubsetDefined", "TrajectoryProduced", "EvalVerdictRecorded",
                "FtSampleEmitted",
            ])
        let benchHistory = try cli.run(["history", "astropy__astropy-12907", "--json"])
        let benchEvent = try JSONParser.parse(String(benchHistory.stdout.split(separator: "\n").first ?? ""))
        #expect(benchEvent["type"]?.stringValue == "BenchmarkEvaluated")
        #expect(benchEvent["instance_in"]?.stringValue == "resolved_ids")
        #expect(try cli.run(["history", "nobody__nothing-1"]).status == 3)
        #expect(try cli.run(["lineage", "no-such-result"]).status == 3)
        let compare = try cli.run(["compare", "sample-run", "sample-run", "--json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(try JSONParser.parse(compare.stdout)["a"]?["resolved"] == .int(6))
    }

    @Test("bad reports are refused with one line; an unmatched checkpoint is recorded as unknown")
    func badInput() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let smithSummary = CLIHarness.sample + "/logs/run_evaluation/sample-eval/report.json"
        let other = try cli.run(["bench", "record", smithSummary, "--benchmark", "swe-bench_verified", "--model", "m"])
        #expect(other.status == 1)
        #expect(other.stderr.contains("not a SWE-bench run report"))
        let lite = try cli.run([
            "bench", "record", Self.verified + "/20250726_mini-v1.0.0_gemini-2.5-pro.verified.json", "--benchmark",
            "swe-bench_lite", "--model", "m",
        ])
        #expect(lite.status == 1)
        #expect(lite.stderr.contains("total_instances is 500, but swe-bench_lite test has only 300 instances"))
        let sample = CLIHarness.sample + "/bench/qwen-7b-sample.sample-bench.json"
        let devSplit = try cli.run([
            "bench", "record", sample, "--benchmark", "swe-bench_verified", "--split", "dev", "--model", "m",
        ])
        #expect(devSplit.status == 1)
        #expect(devSplit.stderr.contains("swe-bench_verified has the splits test"))
        let missing = try cli.run([
            "bench", "record", cli.dir + "/none.json", "--benchmark", "swe-bench-m", "--model", "m",
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let neither = try cli.run(["bench", "record", sample, "--benchmark", "swe-bench_verified"])
        // A usage error: ArgumentParser's status (64 on Linux), not a failure of the command's work.
        #expect(neither.status != 0 && neither.status != 1)
        #expect(neither.stderr.contains("give exactly one of --model and --checkpoint"))
        let noCheckpoint = try cli.run([
            "bench", "record", sample, "--benchmark", "swe-bench_verified", "--checkpoint", "c",
        ])
        #expect(noCheckpoint.status == 3)
        #expect(noCheckpoint.stderr.contains("no checkpoint named 'c'"))
        let notConfig = try cli.run(["checkpoint", "record", "--config", sample])
        #expect(notConfig.status == 1)
        #expect(notConfig.stderr.contains("expected a torchtune config"))
        let badIDs = cli.dir + "/bad.json"
        let text = String(
            decoding: try cli.read(CLIHarness.sample + "/bench/qwen-7b-sample.sample-bench.json"), as: UTF8.self)
        try Data(text.replacingOccurrences(of: "astropy__astropy-12907", with: "not an id").utf8).write(
            to: URL(fileURLWithPath: badIDs))
        let ids = try cli.run(["bench", "record", badIDs, "--benchmark", "swe-bench_verified", "--model", "m"])
        #expect(ids.status == 1)
        #expect(ids.stderr.contains("'not an id' is not a SWE-bench instance id"))
        #expect(ids.stderr.split(separator: "\n").count == 1)
        #expect(try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"] == .number("0"))

        let unmatched = try cli.run([
            "checkpoint", "record", "--config", CLIHarness.fixtures + "/swe-smith/configs/full_ft_qwen_7b.yml",
        ])
        #expect(unmatched.status == 0, "\(unmatched.stderr)")
        #expect(unmatched.stderr.contains("SFT dataset unknown"))
        let row = try JSONParser.parse(try cli.run(["sql", "--json", "SELECT sft_match FROM checkpoints"]).stdout)
        #expect(row.arrayValue?.first?["sft_match"]?.stringValue == "unknown")
    }

    @Test("a checkpoint's data file: by SHA-256 when here, by name when not, unknown when its bytes differ")
    func checkpointMatching() throws {
        let cli = CLIHarness()
        let s = CLIHarness.sample
        for step in [
            ["init"],
            ["dataset", "import", s + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"],
            ["ingest", "trajectories", s + "/trajectories/lead/sample-run", "--run", "sample-run"],
            ["ingest", "eval", s + "/logs/run_evaluation/sample-eval", "--of-run", "sample-run"],
            [
                "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                "--system-prompt-from", s + "/agent/swesmith_infer.yaml",
            ],
        ] {
            let r = try cli.run(step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        let config = s + "/configs/train_qwen_7b.yml"
        // The export is not in the working folder: matched by its file name.
        let byName = try cli.run(["checkpoint", "record", "--config", config, "--name", "by-name"])
        #expect(byName.status == 0, "\(byName.stderr)")
        // Other bytes under the export's name are not the recorded data.
        let folder = cli.dir + "/trajectories_sft"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: folder + "/ft_xml_sample-sft.jsonl"))
        let changed = try cli.run(["checkpoint", "record", "--config", config, "--name", "changed"])
        #expect(changed.status == 0)
        #expect(changed.stderr.contains("matches no recorded SFT export"))
        // The real export, and a checkpoint folder named like torchtune's: epoch from the name, files hashed.
        try FileManager.default.removeItem(atPath: folder + "/ft_xml_sample-sft.jsonl")
        #expect(try cli.run(["sft", "export", "sample-sft", "-o", folder + "/ft_xml_sample-sft.jsonl"]).status == 0)
        let epochDir = cli.dir + "/out/epoch_2"
        try FileManager.default.createDirectory(atPath: epochDir, withIntermediateDirectories: true)
        try Data("abc".utf8).write(to: URL(fileURLWithPath: epochDir + "/model-00001-of-00002.safetensors"))
        let hashed = try cli.run(["checkpoint", "record", "--config", config, "--dir", epochDir, "--hash"])
        #expect(hashed.status == 0, "\(hashed.stderr)")
        let rows =
            try JSONParser.parse(
                try cli.run([
                    "sql", "--json",
                    "SELECT name, sft_dataset, sft_match, epoch, files_json FROM checkpoints ORDER BY seq",
                ])
                .stdout
            ).arrayValue ?? []
        #expect(rows.map { $0["name"]?.stringValue } == ["by-name", "changed", "train_qwen_7b-epoch2"])
        #expect(rows.map { $0["sft_match"]?.stringValue } == ["file-name", "unknown", "sha256"])
        // The recorded events name the version matched (the projection's columns are the read side's choice).
        let recorded = try ["by-name", "changed", "train_qwen_7b-epoch2"].map {
            try cli.head("checkpoint", $0)["sft_dataset"]?.stringValue
        }
        #expect(recorded == ["sample-sft@1", nil, "sample-sft@1"])
        #expect(rows.last?["epoch"] == .int(2))
        let files = try JSONParser.parse(try #require(rows.last?["files_json"]?.stringValue))
        // printf abc | sha256sum
        #expect(
            files.arrayValue?.first?["sha256"]?.stringValue
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(files.arrayValue?.first?["size"] == .int(3))
    }
}
