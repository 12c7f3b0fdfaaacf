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
        var bad: NewEvent?
        for i in 0..<300 {
            let instance = "inst-\(i % 110)"
            if i == badAt {
                // Lacks every required field but the key.
                bad = withoutFields(
                    PipelineEvents.trajectory(run: "r", instance: instance, cost: nil, steps: 0),
                    ["traj_sha256", "format", "exit_status", "submission_sha256", "instance_cost", "steps"])
                batch.events.append(bad!)
            } else if i % 2 == 0 {
                batch.add(PipelineEvents.trajectory(run: "r", instance: instance, cost: Double(i), steps: i))
            } else {
                batch.add(PipelineEvents.verdict(eval: "e", instance: instance, resolved: i % 3 == 0, trajectory: nil))
            }
        }
        try log.append(batch.events, blobs: batch.blobs)
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
        var later = AppendBatch()
        later.add(PipelineEvents.trajectory(run: "r", instance: "inst-1", cost: 9, steps: 999))
        try log.append(later.events, blobs: later.blobs)
        try bulk.catchUp(log: log)
        try ProjectionEngine(path: plainPath, batchSize: 40).catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
    }

    @Test("an event the bulk catch-up cannot apply is skipped, leaving the same rows as an ordinary one")
    func skipsWithSameRows() throws {
        let dir = TempDir()
        let log = try store(dir, badAt: 230)
        let bulk = try ProjectionEngine(store: dir.store, batchSize: 40)
        bulk.bulkLoadThreshold = 1
        let report = try bulk.catchUp(log: log)
        #expect(report.skipped.count == 1)
        let last = try log.lastSeq()
        #expect(try bulk.state().allSatisfy { $0.lastSeq == last })
        let plainPath = dir.path + "/plain.sqlite"
        #expect(try ProjectionEngine(path: plainPath, batchSize: 40).catchUp(log: log).skipped == report.skipped)
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
    }
}
