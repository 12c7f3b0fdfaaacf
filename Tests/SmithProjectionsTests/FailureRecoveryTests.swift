import Foundation
import SmithDomain
import SmithProjections
import SmithStore
import Testing

@Suite("An event a projection cannot apply")
struct FailureRecoveryTests {
    private func trajectory(_ instance: String) -> TrajectoryProduced {
        PipelineEvents.trajectory(run: "r", instance: instance, cost: 0.5, steps: 4)
    }

    /// A store with the dataset, then a, b, c (missing `steps`) and d; caught up in batches of 4.
    private func store(_ dir: TempDir) throws -> (EventLog, UInt64) {
        let log = try EventLog.create(at: dir.store)
        try append(Array(PipelineEvents().batches[0...1]), to: log)
        let before = try log.lastSeq()
        var batch = AppendBatch()
        for id in ["a", "b", "d"] { batch.add(trajectory(id)) }
        var events = batch.events
        events.insert(withoutFields(trajectory("c"), ["steps"]), at: 2)
        try log.append(events, blobs: batch.blobs)
        return (log, before + 3)
    }

    @Test("is recorded once, skipped, and every other event applies")
    func skipsAndGoesOn() throws {
        let dir = TempDir()
        let (log, badSeq) = try store(dir)
        let engine = try ProjectionEngine(store: dir.store, batchSize: 4)
        let report = try engine.catchUp(log: log)
        let bad = EventReference(seq: badSeq, type: "TrajectoryProduced", stream: "run/r")
        #expect(
            report.skipped == [
                SkippedEvent(event: bad, projection: "runs", reason: "required field 'steps' is missing")
            ])
        #expect(report.skipped[0].description.contains("event \(badSeq) (TrajectoryProduced, run/r)"))
        #expect(try strings(engine, "SELECT instance_id FROM trajectories ORDER BY seq") == ["a", "b", "d"])
        #expect(try count(engine, "SELECT count(*) FROM instances") == 12)
        let last = try log.lastSeq()
        #expect(try engine.state().allSatisfy { $0.lastSeq == last })
        #expect(try engine.skippedEvents() == report.skipped)
        #expect(
            try strings(engine, "SELECT reason FROM skipped_events") == ["required field 'steps' is missing"])

        // Another engine (another process) neither applies it nor records it again.
        let reopened = try ProjectionEngine(store: dir.store)
        #expect(try reopened.catchUp(log: log).skipped.isEmpty)
        #expect(try reopened.skippedEvents().count == 1)
        // The log was never touched, and catching up in one batch or event by event gives the same rows.
        #expect(try log.lastSeq() == badSeq + 1)
        let onePath = dir.path + "/one.sqlite"
        try ProjectionEngine(path: onePath, batchSize: 1).catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(onePath)))
    }

    @Test("an event written by a newer smithlog is not guessed at")
    func newerSchemaVersion() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([withoutFields(trajectory("future"), [], schemaVersion: TrajectoryProduced.schemaVersion + 1)])
        let engine = try ProjectionEngine(store: dir.store)
        let report = try engine.catchUp(log: log)
        #expect(report.skipped.count == 1)
        #expect(report.skipped.first?.reason.contains("newer than this smithlog knows") == true)
        #expect(try count(engine, "SELECT count(*) FROM trajectories") == 0)
    }

    @Test("wrongly typed fields are named")
    func wrongType() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        var bad = withoutFields(trajectory("x"), [])
        guard case .object(let pairs) = bad.payload else { fatalError() }
        bad.payload = .object(pairs.map { $0.0 == "steps" ? ("steps", .string("four")) : $0 })
        try log.append([bad])
        let engine = try ProjectionEngine(store: dir.store)
        let report = try engine.catchUp(log: log)
        #expect(report.skipped.first?.reason == "field 'steps' must be an integer, found a string")
    }
}
