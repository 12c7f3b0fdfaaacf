import SmithDomain
import SmithJSON
import SmithStore

/// A whole SWE-smith pipeline's worth of events, built as their Domain types, in append batches as ingest
/// would write them.
///
/// The story: a dataset of 12 instances; subset `pr-small` defined, then redefined with a narrower
/// condition (version 2); an expert run over it with one trajectory re-recorded; an eval run with one verdict
/// re-recorded; an SFT dataset built twice (versions 1 and 2); a checkpoint trained on it (by bare name, so
/// pinned to version 2); two benchmark results (the checkpoint and a baseline run whose trajectories are
/// recorded), and a third result that is retracted.
struct PipelineEvents {
    static let dataset = "smith-mini"
    static let instanceIDs = (0..<12).map { i in
        i % 3 == 0 ? "pandas-dev__pandas.95280573.pr_\(53600 + i)" : "owner__repo.1234abcd.lm_rewrite__\(i)"
    }

    var batches: [AppendBatch] = []
    /// Event ids needed by later events (subset definitions, trajectories, SFT builds).
    private(set) var ids: [String: Digest] = [:]

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
        retract()
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

    static func row(_ i: Int) -> InstanceRegistered {
        let id = instanceIDs[i]
        return InstanceRegistered(
            instanceID: id, row: Artifacts.shared.add(rowBytes(i)), dataset: dataset, position: i,
            repo: "swesmith/" + String(id.split(separator: ".")[0]), bugType: id.contains(".pr_") ? "pr" : "lm_rewrite",
            failToPassCount: i % 5 + 1, passToPassCount: 1, imageName: i == 4 ? nil : "swesmith/img.\(i)",
            createdAt: "2025-0\(i % 9 + 1)-01T00:00:00")
    }

    private mutating func importDataset() {
        var rows = AppendBatch()
        for i in Self.instanceIDs.indices { rows.add(Self.row(i)) }
        batches.append(rows)
        var done = AppendBatch()
        done.add(
            DatasetImported(
                name: Self.dataset, fileName: "smith-mini.jsonl", sha256: artifact("the file"), format: "jsonl",
                rows: Self.instanceIDs.count))
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
        let definition = SubsetDefined(
            name: "pr-small", dataset: Self.dataset, datasetSHA256: artifact("the file"), condition: condition,
            members: members.count)
        batch.add(definition)
        ids[key] = definition.id
        for (i, id) in members.enumerated() {
            batch.add(InstanceSelected(subset: "pr-small", definition: definition.id, instanceID: id, position: i))
        }
        batches.append(batch)
    }

    static func trajectory(
        run: String, instance: String, cost: Double?, steps: Int, status: String = "submitted"
    ) -> TrajectoryProduced {
        TrajectoryProduced(
            run: run, instanceID: instance, trajectory: artifact("traj \(run) \(instance) \(steps)"),
            format: "1.1-query", exitStatus: status,
            submission: status == "submitted" ? artifact("patch \(instance)") : nil, instanceCost: cost,
            tokensSent: 1000 * steps, tokensReceived: 100 * steps, apiCalls: steps, steps: steps,
            sweAgentVersion: "1.1.0", sweRexVersion: nil)
    }

    static func run(_ name: String, model: String, subset: String?, instances: Int, folder: String?) -> RunStarted {
        RunStarted(
            name: name, model: model, agentVersion: "1.1.0", configFile: "swesmith_gen.yaml",
            config: .object([("agent", .object([("model", .string(model))]))]), configSHA256: artifact("agent: {}"),
            subset: subset, instances: instances, folder: folder)
    }

    private mutating func runAgent() {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        batch.add(
            Self.run(
                "expert-1", model: "claude-3-7-sonnet", subset: "pr-small", instances: members.count,
                folder: "/runs/expert-1"))
        for (i, id) in members.enumerated() {
            let t = Self.trajectory(run: "expert-1", instance: id, cost: 0.25 * Double(i + 1), steps: 10 + i)
            batch.add(t)
            ids["traj-\(id)"] = t.id
        }
        batches.append(batch)
        // The first instance is run again: its new trajectory supersedes the old one.
        var again = AppendBatch()
        let t = Self.trajectory(run: "expert-1", instance: members[0], cost: 1.5, steps: 30)
        again.add(t)
        ids["traj-\(members[0])"] = t.id
        batches.append(again)
    }

    static func verdict(eval: String, instance: String, resolved: Bool, trajectory: Digest?) -> EvalVerdictRecorded {
        EvalVerdictRecorded(
            evalRun: eval, instanceID: instance, resolved: resolved, patchExists: true,
            patchApplied: resolved ? true : nil, timedOut: false, failToPassSuccess: resolved ? 3 : 1,
            failToPassFailure: resolved ? 0 : 2, passToPassSuccess: 5, passToPassFailure: 0,
            report: artifact("report \(eval) \(instance) \(resolved)"), ofRun: "expert-1", trajectory: trajectory)
    }

    private mutating func evaluate() {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        batch.add(
            EvalRunStarted(
                name: "eval-1", ofRun: "expert-1", layout: "swe-smith", summary: artifact("summary"),
                model: "claude-3-7-sonnet"))
        for (i, id) in members.enumerated() {
            batch.add(Self.verdict(eval: "eval-1", instance: id, resolved: i != 1, trajectory: ids["traj-\(id)"]))
        }
        batches.append(batch)
        // The second instance is evaluated again and now resolves; the third no longer does.
        var again = AppendBatch()
        again.add(Self.verdict(eval: "eval-1", instance: members[1], resolved: true, trajectory: nil))
        again.add(Self.verdict(eval: "eval-1", instance: members[2], resolved: false, trajectory: nil))
        batches.append(again)
    }

    static func sft(_ name: String, lines: Int, trajRun: String = "expert-1") -> SftDatasetBuilt {
        SftDatasetBuilt(
            name: name, style: "xml", transform: "xml-v1", systemPrompt: artifact("system prompt"),
            trajRun: trajRun, evalRun: "eval-1", subset: nil, onlyResolved: true, fileName: "ft_xml_eval-1.jsonl",
            export: artifact("export \(name) \(lines)"), lines: lines,
            skipped: [("unresolved", 1), ("no_trajectory", 0)], combinedFrom: nil, seed: nil, maxPerInstance: nil,
            metadata: nil)
    }

    private mutating func buildSFT(lines: Int, key: String) {
        let members = Self.subsetMembers("subset2")
        var batch = AppendBatch()
        let build = Self.sft("ft-xml-eval-1", lines: lines)
        batch.add(build)
        ids[key] = build.id
        for i in 0..<lines {
            batch.add(
                FtSampleEmitted(
                    dataset: "ft-xml-eval-1", build: build.id, position: i, instanceID: members[i],
                    trajectory: ids["traj-\(members[i])"],
                    line: artifact("{\"messages\": [], \"instance_id\": \"\(members[i])\"}\n")))
        }
        batches.append(batch)
    }

    static func checkpoint(_ name: String, sft: String?) -> CheckpointSaved {
        CheckpointSaved(
            name: name, config: .object([("output_dir", .string("/ckpt")), ("epochs", .int(3))]),
            configSHA256: artifact("output_dir: /ckpt"), baseModel: "Qwen/Qwen2.5-Coder-7B-Instruct",
            learningRate: 1e-05, epochs: 3, batchSize: 8, gradientAccumulationSteps: 1, maxSeqLen: 32768,
            dataFiles: "ft_xml_eval-1.jsonl", sftDataset: sft, sftMatch: "sha256", epoch: 2,
            dir: "/ckpt/\(name)/epoch_2", files: [.init(path: "model.safetensors", size: 10, sha256: nil)])
    }

    private mutating func saveCheckpoint() {
        var batch = AppendBatch()
        batch.add(Self.checkpoint("qwen-7b-ft-1", sft: "ft-xml-eval-1"))
        // Its training curve: three logged lines, the last a validation loss alone.
        batch.add(
            TrainingMetricsRecorded(
                checkpoint: "qwen-7b-ft-1", checkpointVersion: 1, logFile: "log_1743465600.txt",
                logSHA256: artifact("Step 1 | loss:0.9 lr:1e-05 "), format: "txt", chunk: 0, chunks: 1,
                steps: [1, 2, 2],
                values: [
                    ("loss", [.number(0.9), .number(0.8), .absent]), ("lr", [.number(1e-5), .number(2e-5), .absent]),
                    ("val_loss", [.absent, .absent, .number(0.85)]),
                ]))
        batches.append(batch)
    }

    static func benchmarkResult(name: String, model: String, checkpoint: String?, resolved: Int) -> BenchmarkEvaluated {
        BenchmarkEvaluated(
            name: name, benchmark: "swe-bench_verified", split: "test", model: model, checkpoint: checkpoint,
            total: 500, submitted: 498, resolved: resolved, unresolved: 498 - resolved, error: 0, emptyPatch: 2,
            incomplete: 0, reportFormat: "swe-bench-v2", report: artifact("report \(name) \(resolved)"),
            ids: artifact(
                "{\"resolved_ids\": [\"astropy__astropy-12907\"], \"unresolved_ids\": [\"astropy__astropy-13033\", "
                    + "\"\(name)-\(resolved)\"]}"))
    }

    private mutating func benchmark() {
        var batch = AppendBatch()
        // The baseline's own agent run on the benchmark, named like the result, gives the leaderboard its cost.
        batch.add(
            RunStarted(
                name: "baseline-verified", model: "gpt-4o", agentVersion: "1.0.1", configFile: nil, config: nil,
                configSHA256: nil, subset: nil, instances: 2, folder: nil))
        batch.add(Self.trajectory(run: "baseline-verified", instance: "astropy__astropy-12907", cost: 1.25, steps: 5))
        batch.add(
            Self.trajectory(
                run: "baseline-verified", instance: "astropy__astropy-13033", cost: 2.5, steps: 7, status: "exit_cost"))
        batch.add(
            Self.benchmarkResult(
                name: "qwen-7b-ft-1-verified", model: "qwen-7b-ft-1", checkpoint: "qwen-7b-ft-1", resolved: 325))
        batch.add(Self.benchmarkResult(name: "baseline-verified", model: "gpt-4o", checkpoint: nil, resolved: 163))
        batch.add(Self.benchmarkResult(name: "broken-verified", model: "gpt-4o", checkpoint: nil, resolved: 400))
        batches.append(batch)
    }

    private mutating func retract() {
        var batch = AppendBatch()
        batch.add(Retracted(kind: .bench, name: "broken-verified", version: 1, reason: "report was truncated"))
        batches.append(batch)
    }
}
