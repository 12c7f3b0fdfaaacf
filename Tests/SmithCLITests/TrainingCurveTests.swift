import Foundation
import SmithJSON
import SmithStore
import Testing

/// Issue 16, items 8 and 9: a torchtune DiskLogger log recorded as a checkpoint's training curve, and a DPO config
/// linked to the checkpoint it starts from with its preference data recorded by hash.
@Suite("CLI: training curves and DPO checkpoints")
struct TrainingCurveTests {
    static let sftConfig = CLIHarness.fixtures + "/swe-smith/configs/full_ft_qwen_7b.yml"
    static let diskLog = CLIHarness.fixtures + "/torchtune/logs/log_1743465600.txt"
    static let dpoConfig = CLIHarness.fixtures + "/torchtune/qwen_7b_full_dpo.yaml"
    static let preferencePairs = CLIHarness.fixtures + "/torchtune/swe_dpo_pairs.jsonl"

    /// The fixture's lines as (step, name, value text), parsed here with plain splitting (not the code under test).
    func expectedValues() throws -> [(step: Int, name: String, value: String)] {
        let text = String(decoding: try CLIHarness().read(Self.diskLog), as: UTF8.self)
        var out: [(Int, String, String)] = []
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " | ")
            let step = Int(halves[0].dropFirst("Step ".count))!
            for pair in halves[1].split(separator: " ") {
                let parts = pair.split(separator: ":", maxSplits: 1)
                out.append((step, String(parts[0]), String(parts[1])))
            }
        }
        return out
    }

    @Test("checkpoint record --metrics keeps the DiskLogger log as chunked events; sql and rebuild give its values")
    func diskLoggerCurve() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.ok([
            "checkpoint", "record", "--config", Self.sftConfig, "--epoch", "2", "--metrics", Self.diskLog,
        ])
        #expect(r.stderr.contains("curve: 1005 steps, 7 metrics from log_1743465600.txt"), "\(r.stderr)")
        // 1,006 lines: two events of up to 1,000 lines, not one per step; the log itself is their blob.
        let events = try cli.ok(["log", "--json", "--type", "TrainingMetricsRecorded"]).stdout.split(separator: "\n")
        #expect(events.count == 2)
        let first = try JSONParser.parse(try cli.ok(["show", "2"]).stdout)
        #expect(first["payload"]?["chunk"] == .int(0))
        #expect(first["payload"]?["chunks"] == .int(2))
        #expect(first["payload"]?["log_sha256"]?.stringValue == Digest.sha256(try cli.read(Self.diskLog)).hex)
        let blob = try cli.ok(["show", "2", "--first-blob"])
        #expect(blob.stdoutBytes == (try cli.read(Self.diskLog)))

        let expected = try expectedValues()
        let query = """
            SELECT checkpoint, checkpoint_version, step, name, value, line FROM training_metrics
            ORDER BY line, rowid
            """
        let got = try cli.sqlRows(query)
        #expect(got.count == expected.count)
        for (row, want) in zip(got, expected) {
            #expect(row["checkpoint"]?.stringValue == "full_ft_qwen_7b-epoch2")
            #expect(row["checkpoint_version"] == .int(1))
            #expect(row["step"]?.int64Value == Int64(want.step))
            #expect(row["name"]?.stringValue == want.name)
            #expect(row["value"]?.doubleValue == Double(want.value), "\(want)")
        }
        let loss = try cli.sqlRows(
            "SELECT step, value FROM training_metrics WHERE checkpoint = 'full_ft_qwen_7b-epoch2' AND name = 'loss' "
                + "ORDER BY step LIMIT 2")
        #expect(loss.map { $0["value"]?.doubleValue } == [1.3339968164713367, 1.213682000768646])

        // The same rows after a replay of the log from scratch.
        let before = try cli.ok(["sql", "--csv", query]).stdout
        try cli.ok(["rebuild"])
        #expect(try cli.ok(["sql", "--csv", query]).stdout == before)

        // Recording it again adds nothing.
        let count = try cli.logLines()
        try cli.ok(["checkpoint", "record", "--config", Self.sftConfig, "--epoch", "2", "--metrics", Self.diskLog])
        #expect(try cli.logLines() == count)
    }

    @Test("the log is found from a DiskLogger config's log_dir; a W&B config records no curve and says so")
    func curveFromConfig() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let wandb = try cli.ok(["checkpoint", "record", "--config", Self.sftConfig, "--epoch", "1"])
        #expect(wandb.stderr.contains("no training curve: the config logs metrics with WandBLogger"), "\(wandb.stderr)")
        #expect(try cli.sqlRows("SELECT count(*) AS n FROM training_metrics").first?["n"] == .int(0))
        // The log given later is added to the recorded version.
        let later = try cli.ok([
            "checkpoint", "record", "--config", Self.sftConfig, "--epoch", "1", "--metrics", Self.diskLog,
        ])
        #expect(later.stderr.contains("added to full_ft_qwen_7b-epoch1@1"), "\(later.stderr)")
        #expect(try cli.ok(["log", "--json", "--type", "CheckpointSaved"]).stdout.split(separator: "\n").count == 1)
        #expect(try cli.sqlRows("SELECT count(*) AS n FROM training_metrics").first?["n"] == .int(1005 * 6 + 1))

        // SWE-smith's config with the logger switched as the README says (a DiskLogger writing next to it).
        let text = String(decoding: try cli.read(Self.sftConfig), as: UTF8.self)
        let disk = text.replacingOccurrences(
            of: """
                  _component_: torchtune.training.metric_logging.WandBLogger
                  project: devrl-sft
                """,
            with: """
                  _component_: torchtune.training.metric_logging.DiskLogger
                  log_dir: logs
                  project: devrl-sft
                """)
        #expect(disk != text)
        try FileManager.default.createDirectory(atPath: cli.dir + "/run/logs", withIntermediateDirectories: true)
        try Data(disk.utf8).write(to: URL(fileURLWithPath: cli.dir + "/run/ft_disk.yml"))
        _ = try cli.copy(Self.diskLog, to: "run/logs/log_1743465600.txt")
        let found = try cli.ok(["checkpoint", "record", "--config", cli.dir + "/run/ft_disk.yml", "--epoch", "2"])
        #expect(found.stderr.contains("curve: 1005 steps, 7 metrics from log_1743465600.txt"), "\(found.stderr)")
        let counts = try cli.sqlRows(
            "SELECT checkpoint, count(*) AS n FROM training_metrics GROUP BY checkpoint ORDER BY checkpoint")
        #expect(counts.map { $0["checkpoint"]?.stringValue } == ["ft_disk-epoch2", "full_ft_qwen_7b-epoch1"])
        #expect(counts.first?["n"] == .int(1005 * 6 + 1))
    }

    @Test("a log line that is not a step line refuses the record with one line naming the file and line")
    func malformedLog() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let lines = String(decoding: try cli.read(Self.diskLog), as: UTF8.self).split(separator: "\n")
        let bad = cli.dir + "/log_1.txt"
        let text = lines[0] + "\n" + lines[1] + "\nStep 3 | loss:0.5 lr\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: bad))
        let before = try cli.logLines()
        let r = try cli.run(["checkpoint", "record", "--config", Self.sftConfig, "--metrics", bad])
        #expect(r.status == 1)
        #expect(stderrLines(r).count == 1)
        #expect(r.stderr.hasPrefix("smithlog: \(bad): line 3: expected `Step N | name:value ...`"), "\(r.stderr)")
        #expect(try cli.logLines() == before)
    }

    @Test("a DPO config links the checkpoint it starts from and records its preference data by hash")
    func dpoCheckpoint() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        // Before the SFT checkpoint is recorded, the DPO config's starting folder links nothing (and says so).
        let orphan = try cli.ok(["checkpoint", "record", "--config", Self.dpoConfig, "--name", "orphan"])
        #expect(orphan.stderr.contains("is no recorded checkpoint's folder"), "\(orphan.stderr)")
        #expect(try cli.head("checkpoint", "orphan")["parent_checkpoint"] == .null)
        // SWE-smith's SFT run, epoch 2: saved in <output_dir>/epoch_2, the DPO config's checkpointer.checkpoint_dir.
        try cli.ok(["checkpoint", "record", "--config", Self.sftConfig, "--epoch", "2"])
        let dpo = try cli.ok(["checkpoint", "record", "--config", Self.dpoConfig, "--name", "qwen-7b-dpo"])
        #expect(!dpo.stderr.contains("SFT dataset unknown"), "\(dpo.stderr)")
        #expect(dpo.stderr.contains("preference data"), "\(dpo.stderr)")
        #expect(dpo.stderr.contains("from full_ft_qwen_7b-epoch2@1"), "\(dpo.stderr)")

        let sha = Digest.sha256(try cli.read(Self.preferencePairs)).hex
        let row = try #require(try cli.sqlRows("SELECT * FROM checkpoints WHERE name = 'qwen-7b-dpo'").first)
        #expect(row["data_kind"]?.stringValue == "preference")
        #expect(row["data_sha256"]?.stringValue == sha)
        #expect(row["sft_match"]?.stringValue == "none")
        #expect(row["sft_dataset"] == .null)
        #expect(row["parent_checkpoint"]?.stringValue == "full_ft_qwen_7b-epoch2@1")
        #expect(row["parent_checkpoint_version"] == .int(1))
        // ref_checkpointer's original weights, not the SFT folder (`epoch_2`).
        #expect(row["base_model"]?.stringValue == "Qwen2.5-Coder-7B-Instruct")
        let event = try cli.head("checkpoint", "qwen-7b-dpo")
        #expect(event["parent_checkpoint"]?.stringValue == "full_ft_qwen_7b-epoch2@1")
        #expect(event["data_sha256"]?.stringValue == sha)

        let lineage = try JSONParser.parse(try cli.ok(["lineage", "qwen-7b-dpo", "--json"]).stdout)
        #expect(lineage["kind"]?.stringValue == "checkpoint")
        #expect(lineage["details"]?["data_kind"]?.stringValue == "preference")
        #expect(lineage["details"]?["data_sha256"]?.stringValue == sha)
        let parent = try #require(lineage["children"]?.arrayValue?.first)
        #expect(parent["kind"]?.stringValue == "checkpoint")
        #expect(parent["name"]?.stringValue == "full_ft_qwen_7b-epoch2")
        #expect(parent["version"] == .int(1))
        #expect(try cli.ok(["lineage", "qwen-7b-dpo"]).stdout.contains("full_ft_qwen_7b-epoch2@1"))
    }
}

/// Issue 16, item 11: what is not the artifact is refused with one line, and nothing is recorded.
@Suite("CLI: refusals of what is not a dataset or would be an empty SFT set")
struct NotTheArtifactTests {
    @Test("an sft build that would write 0 lines is refused")
    func emptySftBuild() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        // Rows 8 and 9 of the dataset: the run has no trajectory for either.
        try cli.ok(["subset", "create", "rest", "--dataset", "swesmith-sample", "--where", "position >= 8"])
        let before = try cli.logLines()
        let r = try cli.run([
            "sft", "build", "empty", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--subset", "rest",
            "--system-prompt-from", CLIHarness.inferConfig,
        ])
        #expect(r.status == 1)
        #expect(stderrLines(r).count == 1)
        #expect(r.stderr.hasPrefix("smithlog: sft build empty: would write 0 lines"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing recorded"))
        #expect(try cli.logLines() == before)
    }

    @Test("dataset import of an SFT jsonl or of a prediction file is refused, naming the file and what was expected")
    func notTaskInstances() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let sft = cli.dir + "/ft_xml_sample.jsonl"
        let line = #"{"messages": [{"role": "user", "content": "fix it"}], "instance_id": "pkg__repo.1234abcd.pr_17"}"#
        try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: sft))
        let preds = cli.dir + "/preds.jsonl"
        let pred = #"{"instance_id": "pkg__repo.1234abcd.pr_17", "model_name_or_path": "m", "model_patch": "p"}"#
        try Data((pred + "\n").utf8).write(to: URL(fileURLWithPath: preds))
        let before = try cli.logLines()
        for (file, found) in [(sft, "found a chat with messages"), (preds, "found an object with none of those keys")] {
            let r = try cli.run(["dataset", "import", file])
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1)
            #expect(r.stderr.hasPrefix("smithlog: \(file): $[0]: expected a task instance"), "\(r.stderr)")
            #expect(r.stderr.contains(found), "\(r.stderr)")
        }
        #expect(try cli.logLines() == before)
    }

    @Test("dataset import of a YAML file says it is YAML, not a dataset")
    func yamlFile() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        // Named .yml, and the same text under another name (found from its first line).
        let renamed = try cli.copy(TrainingCurveTests.sftConfig, to: "config.txt")
        let before = try cli.logLines()
        for file in [TrainingCurveTests.sftConfig, renamed, CLIHarness.inferConfig] {
            let r = try cli.run(["dataset", "import", file, "--name", "d"])
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1)
            #expect(
                r.stderr == "smithlog: \(file): a YAML file, not a dataset (expected task instances as a "
                    + "JSON array or JSON Lines)\n", "\(r.stderr)")
        }
        #expect(try cli.logLines() == before)
    }
}
