import SmithDomain
import SmithJSON
import SmithStore
import SmithTestSupport
import Testing

/// Ids hash the identity fields: re-recording a fact with other details adds nothing, another fact is new.
@Suite("identity")
struct IdentityTests {
    /// Two events of one type, the same fact or not.
    struct Pair: Sendable, CustomTestStringConvertible {
        var what: String
        var a: any PipelineEvent
        var b: any PipelineEvent
        var sameFact: Bool

        var testDescription: String { what }

        static func same(_ what: String, _ a: any PipelineEvent, _ b: any PipelineEvent) -> Pair {
            Pair(what: what + ": same id", a: a, b: b, sameFact: true)
        }

        static func different(_ what: String, _ a: any PipelineEvent, _ b: any PipelineEvent) -> Pair {
            Pair(what: what + ": another id", a: a, b: b, sameFact: false)
        }
    }

    typealias S = SampleEvents

    static let pairs: [Pair] = [
        .same(
            "DatasetImported file name, format, rows", S.datasetImported(),
            S.datasetImported(fileName: "b.jsonl", format: "jsonl", rows: 9)),
        .different(
            "DatasetImported sha256", S.datasetImported(),
            S.datasetImported(sha256: SampleBlobs.digest(SampleBlobs.row))),
        .different("DatasetImported name", S.datasetImported(), S.datasetImported(name: "other")),

        .same(
            "InstanceRegistered repo, bug type, counts, image, date",
            S.instanceRegistered(),
            S.instanceRegistered(
                repo: nil, bugType: "lm_rewrite", failToPassCount: 7, passToPassCount: 0, imageName: nil,
                createdAt: "2020")),
        .different("InstanceRegistered position", S.instanceRegistered(), S.instanceRegistered(position: 1)),
        .different("InstanceRegistered dataset", S.instanceRegistered(), S.instanceRegistered(dataset: "other")),
        .different(
            "InstanceRegistered row", S.instanceRegistered(),
            S.instanceRegistered(row: SampleBlobs.digest(SampleBlobs.line))),
        .different(
            "InstanceRegistered instance (the stream)", S.instanceRegistered(),
            S.instanceRegistered(instanceID: "other__repo.1")),

        .different(
            "SubsetDefined condition", S.subsetDefined(), S.subsetDefined(condition: "position < 4")),
        .different("SubsetDefined members", S.subsetDefined(), S.subsetDefined(members: 2)),
        .same(
            "SubsetDefined members blob (v2; a v1 definition has none)", S.subsetDefined(),
            S.subsetDefined(membersSHA256: nil)),
        .different("InstanceSelected position (every field)", S.instanceSelected(), S.instanceSelected(position: 1)),

        .same(
            "RunStarted agent version, config, subset, instances",
            S.runStarted(),
            S.runStarted(agentVersion: "1.1.0", configFile: nil, config: .object([]), subset: nil, instances: 500)),
        .same("RunStarted scaffold (v3)", S.runStarted(), S.runStarted(scaffold: "mini-swe-agent")),
        .different("RunStarted folder", S.runStarted(), S.runStarted(folder: "/elsewhere/sample-run")),
        .different("RunStarted model", S.runStarted(), S.runStarted(model: "gpt-4o")),
        .different(
            "RunStarted config sha256", S.runStarted(), S.runStarted(configSHA256: SampleBlobs.digest(SampleBlobs.row))),

        .same("TrajectoryProduced listing position (v2)", S.trajectoryProduced(), S.trajectoryProduced(position: 7)),
        .same(
            "TrajectoryProduced exit status, cost, tokens, steps, versions",
            S.trajectoryProduced(),
            S.trajectoryProduced(
                exitStatus: "exit_cost", submission: nil, instanceCost: 2, tokensSent: 1, tokensReceived: 1,
                apiCalls: 1, steps: 1, sweAgentVersion: nil, sweRexVersion: nil)),
        .different(
            "TrajectoryProduced trajectory", S.trajectoryProduced(),
            S.trajectoryProduced(trajectory: SampleBlobs.digest(SampleBlobs.line))),
        .different(
            "TrajectoryProduced instance", S.trajectoryProduced(), S.trajectoryProduced(instanceID: "other__repo.1")),

        .same("EvalRunStarted of_run", S.evalRunStarted(), S.evalRunStarted(ofRun: nil)),
        .different("EvalRunStarted summary", S.evalRunStarted(), S.evalRunStarted(summary: nil)),
        .different("EvalRunStarted layout", S.evalRunStarted(), S.evalRunStarted(layout: "swe-bench")),

        .same(
            "EvalVerdictRecorded verdict, counts, run, trajectory",
            S.evalVerdictRecorded(),
            S.evalVerdictRecorded(
                resolved: false, patchExists: nil, patchApplied: false, timedOut: true, failToPassSuccess: 0,
                failToPassFailure: 1, ofRun: nil, trajectory: nil)),
        .different(
            "EvalVerdictRecorded report", S.evalVerdictRecorded(),
            S.evalVerdictRecorded(report: SampleBlobs.digest(SampleBlobs.summary))),

        .different("SftDatasetBuilt seed (every field)", S.sftDatasetBuilt(), S.sftDatasetBuilt(seed: 7)),
        .different("FtSampleEmitted trajectory (every field)", S.ftSampleEmitted(), S.ftSampleEmitted(trajectory: nil)),

        .same(
            "CheckpointSaved base model, hyper-parameters, files",
            S.checkpointSaved(),
            S.checkpointSaved(
                baseModel: nil, learningRate: 2e-5, epochs: 1, batchSize: nil, sftMatch: "unknown", files: [])),
        .different("CheckpointSaved epoch", S.checkpointSaved(), S.checkpointSaved(epoch: 3)),
        .different("CheckpointSaved dir", S.checkpointSaved(), S.checkpointSaved(dir: nil)),

        .same(
            "BenchmarkEvaluated model, checkpoint, counts",
            S.benchmarkEvaluated(),
            S.benchmarkEvaluated(
                model: nil, checkpoint: "sample-ckpt", total: 300, resolved: 100, reportFormat: "swe-bench-v2")),
        .different(
            "BenchmarkEvaluated report", S.benchmarkEvaluated(),
            S.benchmarkEvaluated(report: SampleBlobs.digest(SampleBlobs.summary))),
        .different(
            "BenchmarkEvaluated benchmark", S.benchmarkEvaluated(), S.benchmarkEvaluated(benchmark: "swe-bench_lite")),

        .same("Retracted reason", S.retracted(), S.retracted(reason: "another reason")),
        .different("Retracted version", S.retracted(), S.retracted(version: 2)),
        .different(
            "Retracted kind (another stream)", S.retracted(kind: .run, name: "x"), S.retracted(kind: .eval, name: "x")),
    ]

    @Test("ids and appends follow the identity fields", arguments: pairs)
    func identity(_ pair: Pair) throws {
        let types = (CodecRoundTripTests.eventType(pair.a), CodecRoundTripTests.eventType(pair.b))
        #expect(types.0 == types.1)
        // The two differ (InstanceRegistered's instance and row live in the envelope, not the payload).
        #expect(pair.a.payload != pair.b.payload || pair.a.stream != pair.b.stream || pair.a.blobs != pair.b.blobs)
        #expect((pair.a.id == pair.b.id) == pair.sameFact)

        let store = try TemporaryStore()
        let outcomes = try store.append([pair.a, pair.b])
        #expect(outcomes[0] == .appended(1))
        #expect(outcomes[1] == (pair.sameFact ? .existing(1) : .appended(2)))
        // Across appends too, and the first recording is the one kept.
        #expect(try store.append([pair.b])[0] == (pair.sameFact ? .existing(1) : .existing(2)))
        #expect(try store.records()[0].payloadBytes == PythonJSON.compactBytes(pair.a.payload))
    }

    @Test("the id does not depend on the schema version that wrote the event: InstanceRegistered v1 and v2")
    func instanceRegisteredIdentityAcrossVersions() throws {
        let old = try ReleaseFixture.instanceRegisteredV1()
        let store = try TemporaryStore()
        let record = try store.log.event(
            seq: try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0].seq)
        let today = try InstanceRegistered.decode(record)
        // Today's event for the same row, built field by field rather than decoded from the old record.
        let rebuilt = InstanceRegistered(
            instanceID: "pandas-dev__pandas.95280573.pr_53652", row: old.blobs[0], dataset: "swesmith-sample",
            position: 0, repo: "swesmith/pandas-dev__pandas.95280573", bugType: "pr", failToPassCount: 1,
            passToPassCount: 3, imageName: "swesmith.x86_64.pandas-dev__pandas.95280573",
            createdAt: "2025-03-10T08:23:31.701599")
        #expect(today == rebuilt)
        #expect(EventCatalog.identity(of: record) == rebuilt.id)
        #expect(today.id == rebuilt.id)
        // The stored id is the old payload hash: what store format 6 maps to the identity id.
        #expect(record.id != rebuilt.id)
    }

    @Test("the id does not depend on the schema version that wrote the event: RunStarted v1 and v2")
    func runStartedIdentityAcrossVersions() throws {
        let old = try ReleaseFixture.first("RunStarted")
        let store = try TemporaryStore()
        let record = try store.log.event(
            seq: try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0].seq)
        let today = RunStarted(
            name: "sample-run", model: "claude-3-7-sonnet-20250219", agentVersion: "1.0.1",
            configFile: "run_batch.config.yaml", config: old.payload["config"], configSHA256: old.blobs[0],
            subset: "first-eight", instances: 8, folder: nil)
        #expect(EventCatalog.identity(of: record) == today.id)
        #expect(record.id == old.id)
        #expect(record.id != today.id)
    }

    @Test("an event that cannot be decoded has no identity")
    func undecodableHasNoIdentity() throws {
        let store = try TemporaryStore()
        let broken = NewEvent(
            type: "Retracted", schemaVersion: 1, stream: "sft/x", payload: .object([("kind", .string("nonsense"))]))
        let unknown = NewEvent(type: "SomethingElse", stream: "x/y", payload: .object([]))
        try store.appendRaw([broken, unknown])
        for record in try store.records() { #expect(EventCatalog.identity(of: record) == nil) }
    }
}
