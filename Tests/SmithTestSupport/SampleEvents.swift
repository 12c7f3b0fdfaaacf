public import SmithDomain
public import SmithJSON
public import SmithStore

/// Typed example events of every type, for fixtures built with the Domain types instead of payloads by hand.
///
/// The defaults describe one small pipeline: a dataset `swesmith-sample` with one instance, a subset
/// `first-eight`, a run `sample-run`, its evaluation `sample-eval`, an SFT set `sample-sft`, a checkpoint
/// `sample-ckpt` and a Verified result `sample-bench`. Every optional field is set by default (pass nil to
/// leave one out); blobs are `SampleBlobs`, which `TemporaryStore.append` stores with the events.
public enum SampleEvents {
    public static let instanceID = "pkg__repo.1234abcd.pr_17"
    public static let model = "claude-3-7-sonnet-20250219"

    public static func datasetImported(
        name: String = "swesmith-sample", fileName: String = "swesmith-sample.json",
        sha256: Digest = SampleBlobs.digest(SampleBlobs.datasetFile), format: String = "json", rows: Int = 1
    ) -> DatasetImported {
        DatasetImported(name: name, fileName: fileName, sha256: sha256, format: format, rows: rows)
    }

    public static func instanceRegistered(
        instanceID: String = SampleEvents.instanceID, row: Digest = SampleBlobs.digest(SampleBlobs.row),
        dataset: String = "swesmith-sample", position: Int = 0, repo: String? = "swesmith/pkg__repo.1234abcd",
        bugType: String = "pr", failToPassCount: Int = 1, passToPassCount: Int = 3,
        imageName: String? = "swesmith.x86_64.pkg__repo.1234abcd", createdAt: String? = "2025-03-10T08:23:31.701599"
    ) -> InstanceRegistered {
        InstanceRegistered(
            instanceID: instanceID, row: row, dataset: dataset, position: position, repo: repo, bugType: bugType,
            failToPassCount: failToPassCount, passToPassCount: passToPassCount, imageName: imageName,
            createdAt: createdAt)
    }

    public static func subsetDefined(
        name: String = "first-eight", dataset: String = "swesmith-sample@1",
        datasetSHA256: Digest = SampleBlobs.digest(SampleBlobs.datasetFile), condition: String = "position < 8",
        members: Int = 1, membersSHA256: Digest? = SampleBlobs.digest(SampleBlobs.members)
    ) -> SubsetDefined {
        SubsetDefined(
            name: name, dataset: dataset, datasetSHA256: datasetSHA256, condition: condition, members: members,
            membersSHA256: membersSHA256)
    }

    public static func instanceSelected(
        subset: String = "first-eight", definition: Digest = subsetDefined().id,
        instanceID: String = SampleEvents.instanceID,
        position: Int = 0
    ) -> InstanceSelected {
        InstanceSelected(subset: subset, definition: definition, instanceID: instanceID, position: position)
    }

    /// The config `runStarted` records by default.
    public static let runConfig: JSONValue = .object([
        (
            "agent",
            .object([("model", .object([("name", .string(model)), ("per_instance_cost_limit", .number("2.0"))]))])
        ),
        ("num_workers", .int(4)),
    ])

    public static func runStarted(
        name: String = "sample-run", model: String? = SampleEvents.model, agentVersion: String? = "1.0.1",
        configFile: String? = "run_batch.config.yaml", config: JSONValue? = runConfig,
        configSHA256: Digest? = SampleBlobs.digest(SampleBlobs.config), subset: String? = "first-eight@1",
        instances: Int = 1, folder: String? = "/data/trajectories/sample-run", scaffold: String? = nil
    ) -> RunStarted {
        RunStarted(
            name: name, model: model, agentVersion: agentVersion, configFile: configFile, config: config,
            configSHA256: configSHA256, subset: subset, instances: instances, folder: folder, scaffold: scaffold)
    }

    public static func trajectoryProduced(
        run: String = "sample-run", instanceID: String = SampleEvents.instanceID,
        trajectory: Digest = SampleBlobs.digest(SampleBlobs.trajectory), format: String = "1.1-query",
        exitStatus: String? = "submitted", submission: Digest? = SampleBlobs.digest(SampleBlobs.submission),
        instanceCost: Double? = 0.4375, tokensSent: Int? = 120_000, tokensReceived: Int? = 800, apiCalls: Int? = 12,
        steps: Int = 12, sweAgentVersion: String? = "1.0.1", sweRexVersion: String? = "1.2.0", position: Int? = nil
    ) -> TrajectoryProduced {
        TrajectoryProduced(
            run: run, instanceID: instanceID, trajectory: trajectory, format: format, exitStatus: exitStatus,
            submission: submission, instanceCost: instanceCost, tokensSent: tokensSent,
            tokensReceived: tokensReceived, apiCalls: apiCalls, steps: steps, sweAgentVersion: sweAgentVersion,
            sweRexVersion: sweRexVersion, position: position)
    }

    public static func evalRunStarted(
        name: String = "sample-eval", ofRun: String? = "sample-run@1", layout: String = "swe-smith",
        summary: Digest? = SampleBlobs.digest(SampleBlobs.summary), model: String? = SampleEvents.model
    ) -> EvalRunStarted {
        EvalRunStarted(name: name, ofRun: ofRun, layout: layout, summary: summary, model: model)
    }

    public static func evalVerdictRecorded(
        evalRun: String = "sample-eval", instanceID: String = SampleEvents.instanceID, resolved: Bool = true,
        patchExists: Bool? = true, patchApplied: Bool? = true, timedOut: Bool = false, failToPassSuccess: Int = 1,
        failToPassFailure: Int = 0, passToPassSuccess: Int = 3, passToPassFailure: Int = 0,
        report: Digest = SampleBlobs.digest(SampleBlobs.report), ofRun: String? = "sample-run@1",
        trajectory: Digest? = trajectoryProduced().id
    ) -> EvalVerdictRecorded {
        EvalVerdictRecorded(
            evalRun: evalRun, instanceID: instanceID, resolved: resolved, patchExists: patchExists,
            patchApplied: patchApplied, timedOut: timedOut, failToPassSuccess: failToPassSuccess,
            failToPassFailure: failToPassFailure, passToPassSuccess: passToPassSuccess,
            passToPassFailure: passToPassFailure, report: report, ofRun: ofRun, trajectory: trajectory)
    }

    /// By default an `xml` set built from `sample-run`'s resolved trajectories, with the fields of a combined
    /// set (`combinedFrom`, `seed`, `maxPerInstance`, `metadata`) set too, so that every field is exercised.
    public static func sftDatasetBuilt(
        name: String = "sample-sft", style: String = "xml", transform: String = "xml-v1",
        systemPrompt: Digest? = SampleBlobs.digest(SampleBlobs.systemPrompt), trajRun: String? = "sample-run@1",
        evalRun: String? = "sample-eval@1", subset: String? = "first-eight@1", onlyResolved: Bool = true,
        fileName: String = "sample-sft.jsonl", export: Digest = SampleBlobs.digest(SampleBlobs.export),
        lines: Int = 1, skipped: [(String, Int)] = [("unresolved", 2), ("no_submission", 1)],
        combinedFrom: [String]? = ["older-sft@1", "other-sft@2"], seed: Int? = 42, maxPerInstance: Int? = 2,
        metadata: Digest? = SampleBlobs.digest(SampleBlobs.metadata)
    ) -> SftDatasetBuilt {
        SftDatasetBuilt(
            name: name, style: style, transform: transform, systemPrompt: systemPrompt, trajRun: trajRun,
            evalRun: evalRun, subset: subset, onlyResolved: onlyResolved, fileName: fileName, export: export,
            lines: lines, skipped: skipped, combinedFrom: combinedFrom, seed: seed, maxPerInstance: maxPerInstance,
            metadata: metadata)
    }

    public static func ftSampleEmitted(
        dataset: String = "sample-sft", build: Digest = sftDatasetBuilt().id, position: Int = 0,
        instanceID: String = SampleEvents.instanceID, trajectory: Digest? = trajectoryProduced().id,
        line: Digest = SampleBlobs.digest(SampleBlobs.line)
    ) -> FtSampleEmitted {
        FtSampleEmitted(
            dataset: dataset, build: build, position: position, instanceID: instanceID, trajectory: trajectory,
            line: line)
    }

    /// The torchtune config `checkpointSaved` records by default.
    public static let checkpointConfig: JSONValue = .object([
        ("model", .object([("_component_", .string("torchtune.models.qwen2_5.qwen2_5_7b_instruct"))])),
        ("batch_size", .int(8)),
        ("optimizer", .object([("lr", .number("1e-05"))])),
    ])

    public static let checkpointFiles: [CheckpointSaved.File] = [
        CheckpointSaved.File(
            path: "model-00001-of-00004.safetensors", size: 3_945_000_000,
            sha256: SampleBlobs.digest(SampleBlobs.checkpointConfig).hex),
        CheckpointSaved.File(path: "config.json", size: nil, sha256: nil),
    ]

    public static func checkpointSaved(
        name: String = "sample-ckpt", config: JSONValue = checkpointConfig,
        configSHA256: Digest = SampleBlobs.digest(SampleBlobs.checkpointConfig),
        baseModel: String? = "Qwen/Qwen2.5-7B-Instruct", learningRate: Double? = 1e-5, epochs: Int? = 3,
        batchSize: Int? = 8, gradientAccumulationSteps: Int? = 4, maxSeqLen: Int? = 32768,
        dataFiles: String? = "sample-sft.jsonl", sftDataset: String? = "sample-sft@1", sftMatch: String = "sha256",
        epoch: Int? = 2, dir: String? = "/checkpoints/sample-ckpt/epoch_2",
        files: [CheckpointSaved.File] = checkpointFiles, dataKind: String? = "sft",
        dataSHA256: Digest? = SampleBlobs.digest(SampleBlobs.export), parentCheckpoint: String? = nil
    ) -> CheckpointSaved {
        CheckpointSaved(
            name: name, config: config, configSHA256: configSHA256, baseModel: baseModel, learningRate: learningRate,
            epochs: epochs, batchSize: batchSize, gradientAccumulationSteps: gradientAccumulationSteps,
            maxSeqLen: maxSeqLen, dataFiles: dataFiles, sftDataset: sftDataset, sftMatch: sftMatch, epoch: epoch,
            dir: dir, files: files, dataKind: dataKind, dataSHA256: dataSHA256, parentCheckpoint: parentCheckpoint)
    }

    /// The curve of `SampleBlobs.trainingLog`: two steps of loss and lr, then a validation loss at step 2.
    public static func trainingMetricsRecorded(
        checkpoint: String = "sample-ckpt", checkpointVersion: Int = 1, logFile: String = "log_1717171717.txt",
        logSHA256: Digest = SampleBlobs.digest(SampleBlobs.trainingLog), chunk: Int = 0, chunks: Int = 1,
        steps: [Int] = [1, 2, 2],
        values: [(name: String, column: [TrainingMetricsRecorded.Value])] = [
            ("loss", [.number(0.9), .number(0.8), .absent]), ("lr", [.number(1e-5), .number(2e-5), .absent]),
            ("val_loss", [.absent, .absent, .number(0.85)]),
        ]
    ) -> TrainingMetricsRecorded {
        TrainingMetricsRecorded(
            checkpoint: checkpoint, checkpointVersion: checkpointVersion, logFile: logFile, logSHA256: logSHA256,
            format: "txt", chunk: chunk, chunks: chunks, steps: steps, values: values)
    }

    public static func benchmarkEvaluated(
        name: String = "sample-bench", benchmark: String = "swe-bench_verified", split: String = "test",
        model: String? = "sample-ckpt", checkpoint: String? = "sample-ckpt@1", total: Int = 500, submitted: Int = 498,
        resolved: Int = 201, unresolved: Int = 288, error: Int = 7, emptyPatch: Int = 2, incomplete: Int = 2,
        reportFormat: String = "sb-cli", report: Digest = SampleBlobs.digest(SampleBlobs.report),
        ids: Digest = SampleBlobs.digest(SampleBlobs.ids)
    ) -> BenchmarkEvaluated {
        BenchmarkEvaluated(
            name: name, benchmark: benchmark, split: split, model: model, checkpoint: checkpoint, total: total,
            submitted: submitted, resolved: resolved, unresolved: unresolved, error: error, emptyPatch: emptyPatch,
            incomplete: incomplete, reportFormat: reportFormat, report: report, ids: ids)
    }

    public static func retracted(
        kind: NamedKind = .sft, name: String = "sample-sft", version: Int = 1,
        reason: String = "built from the wrong run"
    ) -> Retracted {
        Retracted(kind: kind, name: name, version: version, reason: reason)
    }

    public static func nameReleased(
        kind: NamedKind = .dataset, name: String = "swesmith-sample", version: Int = 1,
        reason: String = "another machine pushed this version of the name first"
    ) -> NameReleased {
        NameReleased(kind: kind, name: name, version: version, event: Digest.sha256(Array("head".utf8)), reason: reason)
    }

    /// One event of every type in `EventCatalog.all`'s order, every optional field set.
    public static var allTypes: [any PipelineEvent] {
        [
            datasetImported(), instanceRegistered(), subsetDefined(), instanceSelected(), runStarted(),
            trajectoryProduced(), evalRunStarted(), evalVerdictRecorded(), sftDatasetBuilt(), ftSampleEmitted(),
            checkpointSaved(parentCheckpoint: "sft-ckpt@1"), benchmarkEvaluated(), retracted(),
            trainingMetricsRecorded(), nameReleased(),
        ]
    }

    /// One event of every type in `EventCatalog.all`'s order, every optional field nil (and lists empty).
    public static var allTypesWithoutOptionals: [any PipelineEvent] {
        [
            datasetImported(),
            instanceRegistered(repo: nil, imageName: nil, createdAt: nil),
            subsetDefined(membersSHA256: nil),
            instanceSelected(),
            runStarted(
                model: nil, agentVersion: nil, configFile: nil, config: nil, configSHA256: nil, subset: nil,
                folder: nil),
            trajectoryProduced(
                exitStatus: nil, submission: nil, instanceCost: nil, tokensSent: nil, tokensReceived: nil,
                apiCalls: nil, sweAgentVersion: nil, sweRexVersion: nil),
            evalRunStarted(ofRun: nil, summary: nil, model: nil),
            evalVerdictRecorded(patchExists: nil, patchApplied: nil, ofRun: nil, trajectory: nil),
            sftDatasetBuilt(
                systemPrompt: nil, trajRun: nil, evalRun: nil, subset: nil, skipped: [], combinedFrom: nil, seed: nil,
                maxPerInstance: nil, metadata: nil),
            ftSampleEmitted(trajectory: nil),
            checkpointSaved(
                baseModel: nil, learningRate: nil, epochs: nil, batchSize: nil, gradientAccumulationSteps: nil,
                maxSeqLen: nil, dataFiles: nil, sftDataset: nil, epoch: nil, dir: nil, files: [], dataKind: nil,
                dataSHA256: nil, parentCheckpoint: nil),
            benchmarkEvaluated(model: nil, checkpoint: nil),
            retracted(),
            trainingMetricsRecorded(),
            nameReleased(),
        ]
    }
}
