import SmithDomain
import SmithJSON
import SmithStore

/// A whole SWE-smith pipeline's worth of events, payloads per each type's newest schema in schema/events/, in
/// append batches as ingest would write them.
///
/// The story: a dataset of 12 instances; subset `pr-small` defined, then redefined with a narrower
/// condition; an expert run over it with one trajectory re-recorded; an eval run with one verdict
/// re-recorded; an SFT dataset built twice (the second build replaces the first); a checkpoint trained
/// on it; two benchmark results (the checkpoint and a baseline run whose trajectories are recorded).
struct PipelineEvents {
    static let dataset = "smith-mini"
    static let instanceIDs = (0..<12).map { i in
        i % 3 == 0 ? "pandas-dev__pandas.95280573.pr_\(53600 + i)" : "owner__repo.1234abcd.lm_rewrite__\(i)"
    }

    var batches: [AppendBatch] = []
    /// Event ids needed by later events (subset definitions, trajectories, SFT builds).
    private(set) var ids: [String: String] = [:]

    init() {
        importDataset()
        defineSubset(condition: "bug_type = 'pr' OR f2p_count < 4", key: "subset1")
        defineSubset(condition: "bug_type = 'pr'", key: "subset2")
        runAgent()
        evaluate()
        buildSFT(lines: 2, key: "sft1")
        buildSFT(lines: 3, key: "sft2")
        saveCheckpoint()
        benchmark()
    }

    /// All events in one list, for tests that append in other groupings.
    var allEvents: AppendBatch {
        var all = AppendBatch()
        for b in batches {
            all.events += b.events
            all.blobs += b.blobs
        }
        return all
    }

    static func rowBytes(_ i: Int) -> [UInt8] {
        let id = instanceIDs[i]
        let f2p = (0..<(i % 5 + 1)).map { "\"tests/test_x.py::test_\($0)\"" }.joined(separator: ", ")
        return Array(
            """
            {"instance_id": "\(id)", "repo": "swesmith/\(id.split(separator: ".")[0])", \
            "patch": "diff --git a/x.py b/x.py\\n", "FAIL_TO_PASS": [\(f2p)], "PASS_TO_PASS": ["tests/test_y.py"], \
            "created_at": "2025-0\(i % 9 + 1)-01T00:00:00", "image_name": "swesmith/img.\(i)", "note": "naïve ✓"}
            """.utf8)
    }

    private mutating func importDataset() {
        var rows = AppendBatch()
        for (i, id) in Self.instanceIDs.enumerated() {
            let bytes = Self.rowBytes(i)
            var p = PayloadBuilder()
            p.set("dataset", Self.dataset)
            p.set("position", i)
            p.set("repo", "swesmith/" + String(id.split(separator: ".")[0]))
            p.set("bug_type", id.contains(".pr_") ? "pr" : "lm_rewrite")
            p.set("f2p_count", i % 5 + 1)
            p.set("p2p_count", 1)
            p.set("image_name", i == 4 ? nil : "swesmith/img.\(i)")
            p.set("created_at", "2025-0\(i % 9 + 1)-01T00:00:00")
            rows.add(.instanceRegistered, StreamName.instance(id), p, blobs: [bytes])
        }
        batches.append(rows)
        var done = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", Self.dataset)
        p.set("file_name", "smith-mini.jsonl")
        p.set("sha256", sha("the file"))
        p.set("format", "jsonl")
        p.set("rows", Self.instanceIDs.count)
        done.add(.datasetImported, StreamName.dataset(Self.dataset), p)
        batches.append(done)
    }

    static func subsetMembers(_ key: String) -> [String] {
        key == "subset1"
            ? instanceIDs.enumerated().filter { $0.element.contains(".pr_") || $0.offset % 5 + 1 < 4 }.map(\.element)
            : instanceIDs.filter { $0.contains(".pr_") }
    }

    private mutating func defineSubset(condition: String, key: String) {
        let members = Self.subsetMembers(key)
        var batch = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", "pr-small")
        p.set("dataset", Self.dataset)
        p.set("dataset_sha256", sha("the file"))
        p.set("condition", condition)
        p.set("members", members.count)
        batch.add(.subsetDefined, StreamName.subset("pr-small"), p)
        let definition = batch.events[0].id.hex
        ids[key] = definition
        for (i, id) in members.enumerated() {
            var m = PayloadBuilder()
            m.set("subset", "pr-small")
            m.set("definition", definition)
            m.set("instance_id", id)
            m.set("position", i)
            batch.add(.instanceSelected, StreamName.subset("pr-small"), m)
        }
        batches.append(batch)
    }

    static func trajectory(
        run: String, instance: String, cost: Double?, steps: Int, status: String = "submitted"
    )
        -> PayloadBuilder
    {
        var p = PayloadBuilder()
        p.set("run", run)
        p.set("instance_id", instance)
        p.set("traj_sha256", sha("traj \(run) \(instance) \(steps)"))
        p.set("format", "1.1-query")
        p.set("exit_status", status)
        p.set("submission_sha256", status == "submitted" ? sha("patch \(instance)") : nil)
        p.set("instance_cost", cost)
        p.set("tokens_sent", 1000 * steps)
        p.set("tokens_received", 100 * steps)
        p.set("api_calls", steps)
        p.set("steps", steps)
        p.set("swe_agent_version", "1.1.0")
        p.set("swe_rex_version", nil as String?)
        return p
    }

    private mutating func runAgent() {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", "expert-1")
        p.set("model", "claude-3-7-sonnet")
        p.set("agent_version", "1.1.0")
        p.set("config_file", "swesmith_gen.yaml")
        p.set("config", JSONValue.object([("agent", .object([("model", .string("claude-3-7-sonnet"))]))]))
        p.set("config_sha256", sha("config"))
        p.set("subset", "pr-small")
        p.set("instances", members.count)
        batch.add(.runStarted, StreamName.run("expert-1"), p, blobs: [Array("agent: {}".utf8)])
        for (i, id) in members.enumerated() {
            batch.add(
                .trajectoryProduced, StreamName.run("expert-1"),
                Self.trajectory(run: "expert-1", instance: id, cost: 0.25 * Double(i + 1), steps: 10 + i))
            ids["traj-\(id)"] = batch.events.last!.id.hex
        }
        batches.append(batch)
        // The first instance is run again: its new trajectory supersedes the old one.
        var again = AppendBatch()
        again.add(
            .trajectoryProduced, StreamName.run("expert-1"),
            Self.trajectory(run: "expert-1", instance: members[0], cost: 1.5, steps: 30))
        ids["traj-\(members[0])"] = again.events.last!.id.hex
        batches.append(again)
    }

    static func verdict(eval: String, instance: String, resolved: Bool, trajectory: String?) -> PayloadBuilder {
        var p = PayloadBuilder()
        p.set("eval_run", eval)
        p.set("instance_id", instance)
        p.set("resolved", resolved)
        p.set("patch_exists", true)
        p.set("patch_applied", resolved ? true : nil)
        p.set("timed_out", false)
        p.set("f2p_success", resolved ? 3 : 1)
        p.set("f2p_failure", resolved ? 0 : 2)
        p.set("p2p_success", 5)
        p.set("p2p_failure", 0)
        p.set("report_sha256", sha("report \(eval) \(instance) \(resolved)"))
        p.set("of_run", "expert-1")
        p.set("trajectory", trajectory)
        return p
    }

    private mutating func evaluate() {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", "eval-1")
        p.set("of_run", "expert-1")
        p.set("layout", "swe-smith")
        p.set("summary_sha256", sha("summary"))
        p.set("model", "claude-3-7-sonnet")
        batch.add(.evalRunStarted, StreamName.evalRun("eval-1"), p)
        for (i, id) in members.enumerated() {
            batch.add(
                .evalVerdictRecorded, StreamName.evalRun("eval-1"),
                Self.verdict(eval: "eval-1", instance: id, resolved: i != 1, trajectory: ids["traj-\(id)"]))
        }
        batches.append(batch)
        // The second instance is evaluated again and now resolves; the third no longer does.
        var again = AppendBatch()
        again.add(
            .evalVerdictRecorded, StreamName.evalRun("eval-1"),
            Self.verdict(eval: "eval-1", instance: members[1], resolved: true, trajectory: nil))
        again.add(
            .evalVerdictRecorded, StreamName.evalRun("eval-1"),
            Self.verdict(eval: "eval-1", instance: members[2], resolved: false, trajectory: nil))
        batches.append(again)
    }

    private mutating func buildSFT(lines: Int, key: String) {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", "ft-xml-eval-1")
        p.set("style", "xml")
        p.set("transform", "xml-v1")
        p.set("system_prompt_sha256", sha("system prompt"))
        p.set("traj_run", "expert-1")
        p.set("eval_run", "eval-1")
        p.set("subset", nil as String?)
        p.set("only_resolved", true)
        p.set("file_name", "ft_xml_eval-1.jsonl")
        p.set("export_sha256", sha("export \(lines)"))
        p.set("lines", lines)
        p.set("skipped", JSONValue.object([("unresolved", .int(1)), ("no_trajectory", .int(0))]))
        p.set("combined_from", JSONValue.null)
        p.set("seed", nil as Int?)
        p.set("max_per_inst", nil as Int?)
        batch.add(.sftDatasetBuilt, StreamName.sft("ft-xml-eval-1"), p)
        let build = batch.events[0].id.hex
        ids[key] = build
        for i in 0..<lines {
            let line = Array("{\"messages\": [], \"instance_id\": \"\(members[i])\"}\n".utf8)
            var s = PayloadBuilder()
            s.set("dataset", "ft-xml-eval-1")
            s.set("build", build)
            s.set("position", i)
            s.set("instance_id", members[i])
            s.set("trajectory", ids["traj-\(members[i])"])
            s.set("line_sha256", Digest.sha256(line).hex)
            batch.add(.ftSampleEmitted, StreamName.sft("ft-xml-eval-1"), s, blobs: [line])
        }
        batches.append(batch)
    }

    private mutating func saveCheckpoint() {
        var batch = AppendBatch()
        var p = PayloadBuilder()
        p.set("name", "qwen-7b-ft-1")
        p.set("config", JSONValue.object([("output_dir", .string("/ckpt")), ("epochs", .int(3))]))
        p.set("config_sha256", sha("torchtune config"))
        p.set("base_model", "Qwen/Qwen2.5-Coder-7B-Instruct")
        p.set("lr", 1e-05)
        p.set("epochs", 3)
        p.set("batch_size", 8)
        p.set("gradient_accumulation_steps", 1)
        p.set("max_seq_len", 32768)
        p.set("data_files", "ft_xml_eval-1.jsonl")
        p.set("sft_dataset", "ft-xml-eval-1")
        p.set("sft_match", "sha256")
        p.set("epoch", 2)
        p.set("dir", "/ckpt/epoch_2")
        p.set(
            "files",
            JSONValue.array([
                .object([
                    ("path", .string("model.safetensors")), ("size", .int(10)),
                    ("sha256", .null),
                ])
            ]))
        batch.add(.checkpointSaved, StreamName.checkpoint("qwen-7b-ft-1"), p, blobs: [Array("output_dir: /ckpt".utf8)])
        batches.append(batch)
    }

    static func benchmarkResult(name: String, model: String, checkpoint: String?, resolved: Int) -> PayloadBuilder {
        var p = PayloadBuilder()
        p.set("name", name)
        p.set("benchmark", "swe-bench_verified")
        p.set("split", "test")
        p.set("model", model)
        p.set("checkpoint", checkpoint)
        p.set("total", 500)
        p.set("submitted", 498)
        p.set("resolved", resolved)
        p.set("unresolved", 498 - resolved)
        p.set("error", 0)
        p.set("empty_patch", 2)
        p.set("incomplete", 0)
        p.set("report_format", "swe-bench-v2")
        p.set("report_sha256", sha("report \(name)"))
        p.set("ids_sha256", sha("ids \(name)"))
        return p
    }

    private mutating func benchmark() {
        var batch = AppendBatch()
        // The baseline's own agent run on the benchmark, named like the result, gives the leaderboard its cost.
        var run = PayloadBuilder()
        run.set("name", "baseline-verified")
        run.set("model", "gpt-4o")
        run.set("agent_version", "1.0.1")
        run.set("config_file", nil as String?)
        run.set("config", JSONValue.null)
        run.set("config_sha256", nil as String?)
        run.set("subset", nil as String?)
        run.set("instances", 2)
        batch.add(.runStarted, StreamName.run("baseline-verified"), run)
        batch.add(
            .trajectoryProduced, StreamName.run("baseline-verified"),
            Self.trajectory(run: "baseline-verified", instance: "astropy__astropy-12907", cost: 1.25, steps: 5))
        batch.add(
            .trajectoryProduced, StreamName.run("baseline-verified"),
            Self.trajectory(
                run: "baseline-verified", instance: "astropy__astropy-13033", cost: 2.5, steps: 7,
                status: "exit_cost"))
        batch.add(
            .benchmarkEvaluated, StreamName.benchmark("qwen-7b-ft-1-verified"),
            Self.benchmarkResult(
                name: "qwen-7b-ft-1-verified", model: "qwen-7b-ft-1", checkpoint: "qwen-7b-ft-1",
                resolved: 325))
        batch.add(
            .benchmarkEvaluated, StreamName.benchmark("baseline-verified"),
            Self.benchmarkResult(name: "baseline-verified", model: "gpt-4o", checkpoint: nil, resolved: 163))
        batches.append(batch)
    }
}
