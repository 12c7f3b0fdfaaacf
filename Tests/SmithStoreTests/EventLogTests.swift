import Foundation
import SmithJSON
import SmithStore
import Testing

@Suite("Event log")
struct EventLogTests {
    @Test("events read back as appended, with gapless seqs and a hash chain")
    func roundTrip() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let blob = PreparedBlob(Array("a trajectory".utf8))
        let outcomes = try log.append(
            [event(1), event(2, stream: "run/b"), event(3, type: "EvalVerdictRecorded", blobs: [blob.digest])],
            blobs: [blob])
        #expect(outcomes == [.appended(1), .appended(2), .appended(3)])
        try log.append([event(4)])

        let all = try allEvents(log)
        #expect(all.map(\.seq) == [1, 2, 3, 4])
        #expect(all[0].previousHash == Digest(bytes: [UInt8](repeating: 0, count: 32)))
        #expect(all[2].blobs == [blob.digest])
        #expect(try all[1].payload() == event(2).payload)
        #expect(all[1].stream == "run/b")
        #expect(all[0].id == event(1).id)
        #expect(try log.lastSeq() == 4)

        var runA: [UInt64] = []
        try log.forEach(stream: "run/a") {
            runA.append($0.seq); return true
        }
        #expect(runA == [1, 3, 4])
        var verdicts: [UInt64] = []
        try log.forEach(type: "EvalVerdictRecorded") {
            verdicts.append($0.seq); return true
        }
        #expect(verdicts == [3])
        var fromThree: [UInt64] = []
        try log.forEach(from: 3) {
            fromThree.append($0.seq); return true
        }
        #expect(fromThree == [3, 4])

        #expect(try log.event(seq: 2).id == event(2, stream: "run/b").id)
        #expect(try log.seq(of: event(4).id, stream: "run/a") == 4)
        #expect(try log.events(withIDPrefix: String(event(4).id.hex.prefix(8))).map(\.seq) == [4])
        #expect(try log.blob(blob.digest) == Array("a trajectory".utf8))
        #expect(try log.verify().isClean)
    }

    @Test("recording the same fact twice adds nothing and reports the existing seq")
    func idempotentAppend() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([event(1), event(2)])
        let again = try log.append([event(2), event(3), event(1), event(3)])
        #expect(again == [.existing(2), .appended(3), .existing(1), .existing(3)])
        #expect(try log.lastSeq() == 3)
        // The id ignores key order: the canonical payload sorts keys.
        let reordered = NewEvent(
            type: "TrajectoryProduced", stream: "run/a",
            payload: .object([("ok", .bool(false)), ("n", .int(1)), ("instance_id", .string("inst-1"))]))
        #expect(try log.append([reordered]) == [.existing(1)])
        #expect(try log.verify().isClean)
    }

    @Test("an event may not refer to a blob that is not stored")
    func danglingBlobRefused() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let missing = Digest.sha256(Array("nope".utf8))
        #expect(throws: LogError.self) { try log.append([event(1, blobs: [missing])]) }
        #expect(try log.lastSeq() == 0)
    }

    @Test("the map grows when full and the append goes through")
    func mapGrowth() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, initialMapSize: 1 << 20)
        // ~8 MB of incompressible blobs into a 1 MiB map.
        var generator = SystemRandomNumberGenerator()
        let blobs = (0..<8).map { _ in
            PreparedBlob((0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        for (i, b) in blobs.enumerated() { try log.append([event(i, blobs: [b.digest])], blobs: [b]) }
        try log.append((100..<20_100).map { event($0) })
        #expect(try log.lastSeq() == 20_008)
        for b in blobs { #expect(try log.blob(b.digest).count == 1_000_000) }
        let reopened = try EventLog.open(at: dir.store)
        #expect(try reopened.lastSeq() == 20_008)
        #expect(try reopened.verify().isClean)
    }

    @Test("two threads appending while the map must grow, and one reading, all go through")
    func mapGrowthUnderThreads() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, initialMapSize: 1 << 20)
        let failures = Failures()
        let group = DispatchGroup()
        for writer in 0..<2 {
            DispatchQueue.global().async(group: group) {
                do {
                    // Each batch: an incompressible 400 KB blob and 500 events, so the map grows many times.
                    for batch in 0..<12 {
                        var generator = SystemRandomNumberGenerator()
                        let blob = PreparedBlob((0..<400_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
                        let events = (0..<500).map {
                            event(
                                writer * 100_000 + batch * 1000 + $0, stream: "run/w\(writer)",
                                blobs: $0 == 0 ? [blob.digest] : [])
                        }
                        try log.append(events, blobs: [blob])
                    }
                } catch {
                    failures.add("writer \(writer): \(error)")
                }
            }
        }
        DispatchQueue.global().async(group: group) {
            do {
                for _ in 0..<40 { _ = try allEvents(log).count }
            } catch {
                failures.add("reader: \(error)")
            }
        }
        group.wait()
        #expect(failures.all.isEmpty)
        #expect(try log.lastSeq() == 12_000)
        #expect(try log.verify().isClean)
    }

    @Test("blobs are stored compressed and read back byte for byte")
    func blobCompression() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let text = Array(String(repeating: "{\"role\": \"user\", \"content\": \"same again\"}\n", count: 20_000).utf8)
        let blob = PreparedBlob(text)
        try log.putBlobs([blob, blob])
        #expect(blob.storedSize * 20 < text.count)
        #expect(try log.blob(blob.digest) == text)
        let stats = try log.stats()
        #expect(stats.blobs == 1)
        #expect(stats.blobRawBytes == text.count)
        #expect(stats.blobStoredBytes == blob.storedSize)
    }

    @Test("stats count events by type")
    func stats() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([event(1), event(2, type: "B"), event(3, stream: "run/z", type: "B")])
        let s = try log.stats()
        #expect(s.events == 3)
        #expect(s.eventsByType.map(\.type) == ["B", "TrajectoryProduced"])
        #expect(s.eventsByType.map(\.count) == [2, 1])
        #expect(s.streams == 2)
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
