import Foundation
import SmithDomain
import SmithStore
import Testing

@testable import SmithProjections

/// A large catch-up appends trajectories and verdicts with their key index dropped and keys them itself;
/// the rows must be exactly those the upserts (and their trigger) leave, event by event.
@Suite("Keyed tables in a large catch-up")
struct KeyedTableTests {
    /// Instances recorded up to three times, spread over several batches, with one unreadable event
    /// (identical events are stored once, so seqs do not follow `i`).
    private func store(_ dir: TempDir, badAt: Int?) throws -> EventLog {
        let log = try EventLog.create(at: dir.store)
        var batch = AppendBatch()
        for i in 0..<300 {
            let instance = "inst-\(i % 110)"
            if i == badAt {
                var payload = PayloadBuilder()  // lacks every required field but the key
                payload.set("run", "r")
                payload.set("instance_id", instance)
                batch.add(.trajectoryProduced, "run/r", payload)
            } else if i % 2 == 0 {
                batch.add(
                    .trajectoryProduced, "run/r",
                    PipelineEvents.trajectory(run: "r", instance: instance, cost: Double(i), steps: i))
            } else {
                batch.add(
                    .evalVerdictRecorded, "eval/e",
                    PipelineEvents.verdict(eval: "e", instance: instance, resolved: i % 3 == 0, trajectory: nil))
            }
        }
        try log.append(batch.events)
        return log
    }

    @Test("appending and keying afterwards leaves the same rows as upserting")
    func sameRows() throws {
        let dir = TempDir()
        let log = try store(dir, badAt: nil)
        let bulk = try ProjectionEngine(store: dir.store, batchSize: 40)
        bulk.bulkLoadThreshold = 1
        try bulk.catchUp(log: log)
        let plainPath = dir.path + "/plain.sqlite"
        try ProjectionEngine(path: plainPath, batchSize: 40).catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
        #expect(try count(bulk, "SELECT count(*) FROM superseded_trajectories") > 0)
        #expect(try count(bulk, "SELECT count(*) FROM superseded_verdicts") > 0)
        #expect(try SecondaryIndexes.missing(SQLiteDatabase(path: dir.store.projectionsPath)).isEmpty)

        // Later events go through the key index again, replacing rows the bulk catch-up appended.
        try log.append([
            DomainEvent(
                .trajectoryProduced, stream: "run/r",
                payload: PipelineEvents.trajectory(run: "r", instance: "inst-1", cost: 9, steps: 999).value
            ).newEvent
        ])
        try bulk.catchUp(log: log)
        try ProjectionEngine(path: plainPath, batchSize: 40).catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
    }

    @Test("an event the bulk catch-up cannot apply stops it with the same rows as an ordinary one")
    func stopsWithSameRows() throws {
        let dir = TempDir()
        let log = try store(dir, badAt: 230)
        let bulk = try ProjectionEngine(store: dir.store, batchSize: 40)
        bulk.bulkLoadThreshold = 1
        let error = try #require(throws: ProjectionError.self) { try bulk.catchUp(log: log) }
        #expect(error.code == .cannotApply)
        #expect(try bulk.state().allSatisfy { $0.lastSeq + 1 == error.event?.seq })
        let plainPath = dir.path + "/plain.sqlite"
        #expect(throws: ProjectionError.self) { try ProjectionEngine(path: plainPath, batchSize: 40).catchUp(log: log) }
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
    }
}
