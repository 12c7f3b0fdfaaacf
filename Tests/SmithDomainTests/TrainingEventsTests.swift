import SmithDomain
import SmithJSON
import SmithStore
import SmithTestSupport
import Testing

/// Issue 16's training events: CheckpointSaved v2 read from v1, and TrainingMetricsRecorded's checks and codec.
@Suite("training curves and DPO checkpoints: events")
struct TrainingEventsTests {
    @Test("CheckpointSaved v1 as the release at 002c907 wrote it reads as v2: SFT data, no hash, no parent")
    func checkpointSavedVersion1() throws {
        let old = try ReleaseFixture.first("CheckpointSaved")
        #expect(old.schemaVersion == 1)
        let store = try TemporaryStore()
        let outcome = try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0]
        let record = try store.log.event(seq: outcome.seq)
        #expect(record.schemaVersion == 1)
        let decoded = try CheckpointSaved.decode(record)
        #expect(decoded.name == "qwen-7b-sample")
        #expect(decoded.dataKind == "sft")
        #expect(decoded.dataSHA256 == nil && decoded.parentCheckpoint == nil)
        #expect(decoded.sftMatch == "sha256" && decoded.sftDataset == "sample-sft")
        let keys = try CheckpointSaved.upcast(record).objectValue?.map(\.0)
        #expect(keys?.suffix(3) == ["data_kind", "data_sha256", "parent_checkpoint"])
    }

    @Test("a CheckpointSaved's new fields are checked: data kind, sft_match none, a pinned parent")
    func checkpointSavedValidation() throws {
        _ = try SampleEvents.checkpointSaved(sftDataset: nil, sftMatch: "none", dataKind: "preference").newEvent()
        #expect(throws: EventValidationError.self) { try SampleEvents.checkpointSaved(dataKind: "rl").newEvent() }
        let unpinned = #expect(throws: EventValidationError.self) {
            try SampleEvents.checkpointSaved(parentCheckpoint: "sft-ckpt").newEvent()
        }
        #expect(unpinned?.field == "CheckpointSaved.parent_checkpoint")
    }

    @Test("a TrainingMetricsRecorded whose columns do not fit its steps is refused, naming the metric")
    func metricsValidation() throws {
        let short = #expect(throws: EventValidationError.self) {
            try SampleEvents.trainingMetricsRecorded(values: [("loss", [.number(0.5)])]).newEvent()
        }
        #expect(short?.field == "TrainingMetricsRecorded.values.loss")
        #expect(throws: EventValidationError.self) {
            try SampleEvents.trainingMetricsRecorded(chunk: 1, chunks: 1).newEvent()
        }
        #expect(throws: EventValidationError.self) {
            try SampleEvents.trainingMetricsRecorded(steps: [], values: []).newEvent()
        }
    }

    @Test("nan and the infinities survive the payload (as strings), absent values as null")
    func nonFiniteValues() throws {
        let event = SampleEvents.trainingMetricsRecorded(
            steps: [1, 2],
            values: [("loss", [.number(.nan), .number(.infinity)]), ("lr", [.absent, .number(-.infinity)])])
        #expect(event.payload["values"]?["loss"] == .array([.string("nan"), .string("inf")]))
        #expect(event.payload["values"]?["lr"] == .array([.null, .string("-inf")]))
        let store = try TemporaryStore()
        let outcome = try store.append(event)
        let decoded = try TrainingMetricsRecorded.decode(try store.log.event(seq: outcome.seq))
        #expect(decoded == event)
    }
}
