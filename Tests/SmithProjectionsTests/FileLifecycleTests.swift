import Foundation
import SmithDomain
import SmithStore
import Testing

@testable import SmithProjections

@Suite("The projections file rebuilds itself")
struct FileLifecycleTests {
    /// A store with the whole pipeline, caught up; returns its dump.
    private func caughtUpStore(_ dir: TempDir) throws -> (EventLog, [String: [[SQLValue]]]) {
        let log = try EventLog.create(at: dir.store)
        try append(PipelineEvents().batches, to: log)
        try ProjectionEngine(store: dir.store).catchUp(log: log)
        return (log, try dump(dir.store.projectionsPath))
    }

    private func removeFiles(_ path: String) {
        for f in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: f) }
    }

    @Test("an older schema version in the file triggers a rebuild with the same rows")
    func schemaVersionBump() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        do {
            let db = try SQLiteDatabase(path: dir.store.projectionsPath)
            try db.setUserVersion(ProjectionEngine.schemaVersion - 1)
            try db.exec("CREATE TABLE left_over_from_v0 (x)")
        }
        let engine = try ProjectionEngine(store: dir.store)
        let expected = RebuildReason.schemaVersion(
            found: ProjectionEngine.schemaVersion - 1,
            expected: ProjectionEngine.schemaVersion)
        #expect(engine.pendingRebuild == expected)
        let report = try engine.catchUp(log: log)
        #expect(report.rebuilt == expected)
        #expect(report.fromSeq == 1)
        #expect(report.rebuilt?.description.contains("schema version") == true)
        #expect(try dump(dir.store.projectionsPath) == before)
        #expect(try SQLiteDatabase(path: dir.store.projectionsPath).userVersion() == ProjectionEngine.schemaVersion)
        // Reported once: the next catch-up is an ordinary one.
        #expect(try engine.catchUp(log: log).rebuilt == nil)
    }

    @Test("a deleted file is rebuilt with the same rows")
    func deletedFile() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        removeFiles(dir.store.projectionsPath)
        let engine = try ProjectionEngine(store: dir.store)
        #expect(engine.pendingRebuild == .missing)
        #expect(try engine.catchUp(log: log).rebuilt == .missing)
        #expect(try dump(dir.store.projectionsPath) == before)
    }

    @Test("a file of garbage bytes is deleted and rebuilt")
    func corruptFile() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        removeFiles(dir.store.projectionsPath)
        let garbage = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try Data(garbage).write(to: URL(fileURLWithPath: dir.store.projectionsPath))
        let engine = try ProjectionEngine(store: dir.store)
        guard case .notADatabase = engine.pendingRebuild else {
            Issue.record("expected a not-a-database rebuild, got \(String(describing: engine.pendingRebuild))")
            return
        }
        let report = try engine.catchUp(log: log)
        #expect(report.rebuilt?.description.contains("not a database") == true)
        #expect(try dump(dir.store.projectionsPath) == before)
    }

    @Test("a text file where the database should be is rebuilt too")
    func textFile() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        removeFiles(dir.store.projectionsPath)
        try Data("not a database at all\n".utf8).write(to: URL(fileURLWithPath: dir.store.projectionsPath))
        let engine = try ProjectionEngine(store: dir.store)
        #expect(engine.pendingRebuild != nil)
        try engine.catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == before)
    }

    @Test("rebuild empties and replays, with identical rows")
    func explicitRebuild() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        let engine = try ProjectionEngine(store: dir.store)
        #expect(engine.pendingRebuild == nil)
        var batches = 0
        let report = try engine.rebuild(log: log) { _ in batches += 1 }
        #expect(report.rebuilt == .requested)
        #expect(batches >= 1)
        #expect(try dump(dir.store.projectionsPath) == before)
    }

    @Test("a large catch-up builds the indexes after the rows, with the same result")
    func bulkLoad() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try append(PipelineEvents().batches, to: log)
        let bulk = try ProjectionEngine(store: dir.store)
        bulk.bulkLoadThreshold = 1
        try bulk.catchUp(log: log)
        let plainPath = dir.path + "/plain.sqlite"
        try ProjectionEngine(path: plainPath).catchUp(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(plainPath)))
        let indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite%' ORDER BY name"
        #expect(try strings(bulk, indexes).count == SecondaryIndexes.all.count)

        // The bulk catch-up wrote without a journal; it leaves the file clean and back in WAL mode.
        do {
            let db = try SQLiteDatabase(path: dir.store.projectionsPath, mode: .readOnly)
            #expect(try db.userVersion() == ProjectionEngine.schemaVersion)
            #expect(try db.prepare("PRAGMA journal_mode").scalar()?.stringValue == "wal")
        }

        // A catch-up that died with its indexes dropped: the next open restores them.
        do {
            let db = try SQLiteDatabase(path: dir.store.projectionsPath)
            try db.exec("DROP INDEX trajectories_by_instance_id")
        }
        let reopened = try ProjectionEngine(store: dir.store)
        #expect(reopened.pendingRebuild == nil)
        #expect(try strings(reopened, indexes).contains("trajectories_by_instance_id"))
    }

    @Test("a large catch-up that died half-way (dirty marker left) triggers a rebuild with the same rows")
    func interruptedBulkLoad() throws {
        let dir = TempDir()
        let (log, before) = try caughtUpStore(dir)
        do {
            let db = try SQLiteDatabase(path: dir.store.projectionsPath)
            try db.setUserVersion(BulkLoad.dirtyVersion)
            try db.exec("DELETE FROM trajectories")
        }
        let engine = try ProjectionEngine(store: dir.store)
        #expect(engine.pendingRebuild == .interrupted)
        let report = try engine.catchUp(log: log)
        #expect(report.rebuilt == .interrupted)
        #expect(report.fromSeq == 1)
        #expect(try dump(dir.store.projectionsPath) == before)
        #expect(try SQLiteDatabase(path: dir.store.projectionsPath).userVersion() == ProjectionEngine.schemaVersion)
    }

    @Test("an event a large catch-up cannot apply is skipped, with the file clean and in WAL mode")
    func bulkLoadSkipsBadEvent() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        var batch = AppendBatch()
        for i in 0..<300 where i != 250 {
            batch.add(PipelineEvents.trajectory(run: "r", instance: "i\(i)", cost: 1, steps: i))
        }
        var events = batch.events
        // Lacks every required field but the key.
        events.insert(
            withoutFields(
                PipelineEvents.trajectory(run: "r", instance: "bad", cost: 1, steps: 1),
                ["traj_sha256", "format", "exit_status", "submission_sha256", "instance_cost", "steps"]), at: 250)
        try log.append(events, blobs: batch.blobs)
        let engine = try ProjectionEngine(store: dir.store, batchSize: 100)
        engine.bulkLoadThreshold = 1
        let report = try engine.catchUp(log: log)
        #expect(report.skipped.map(\.event.seq) == [251])
        #expect(try count(engine, "SELECT count(*) FROM trajectories") == 299)
        #expect(try engine.state().allSatisfy { $0.lastSeq == 300 })
        let db = try SQLiteDatabase(path: dir.store.projectionsPath, mode: .readOnly)
        #expect(try db.userVersion() == ProjectionEngine.schemaVersion)
        #expect(try db.prepare("PRAGMA journal_mode").scalar()?.stringValue == "wal")
        #expect(try SecondaryIndexes.missing(db).isEmpty)
    }

    @Test("two engines catching up the same file at once apply every event exactly once")
    func concurrentCatchUps() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        var batch = AppendBatch()
        for i in 0..<3000 {
            batch.add(PipelineEvents.trajectory(run: "r", instance: "i\(i % 2000)", cost: Double(i), steps: i))
        }
        try log.append(batch.events, blobs: batch.blobs)
        _ = try ProjectionEngine(store: dir.store)  // create the file first, so both open the same schema
        let errors = ErrorBox()
        let store = dir.store
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                try ProjectionEngine(store: store, batchSize: 50).catchUp(log: log)
            } catch {
                errors.add(error)
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        try ProjectionEngine(path: rebuiltPath).rebuild(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(rebuiltPath)))
    }

    @Test("a reader in the middle of a query does not block a catch-up")
    func readerDoesNotBlockWriter() throws {
        let dir = TempDir()
        let (log, _) = try caughtUpStore(dir)
        let writer = try ProjectionEngine(store: dir.store)
        let reader = try ProjectionReader(path: dir.store.projectionsPath)
        var seen = 0
        try reader.query(sql: "SELECT seq FROM trajectory_history", columns: { _ in }) { _ in
            if seen == 0 {
                var more = AppendBatch()
                more.add(PipelineEvents.trajectory(run: "late", instance: "x", cost: nil, steps: 1))
                try log.append(more.events, blobs: more.blobs)
                try writer.catchUp(log: log)  // commits while the reader's statement is open
            }
            seen += 1
            return true
        }
        #expect(seen == 7)  // the reader kept its snapshot
        #expect(try count(writer, "SELECT count(*) FROM trajectory_history") == 8)
    }
}

/// Collects errors from concurrent work.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []

    func add(_ error: any Error) { lock.withLock { errors.append(error) } }

    var all: [any Error] { lock.withLock { errors } }
}
