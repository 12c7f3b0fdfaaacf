import Foundation
import SmithJSON
import SmithStore
import Testing

@Suite("caller-given event ids")
struct GivenIDTests {
    /// An id standing for what a domain layer would hash: here, the instance a payload is about.
    static func identity(_ instance: String, stream: String = "run/a") -> Digest {
        Digest.sha256(Array("TrajectoryProduced\0\(stream)\0\(instance)".utf8))
    }

    func withID(_ i: Int, payload extra: Int = 0, stream: String = "run/a") -> NewEvent {
        var e = event(i, stream: stream)
        e.payload = .object([("instance_id", .string("inst-\(i)")), ("n", .int(i)), ("extra", .int(extra))])
        e.givenID = Self.identity("inst-\(i)", stream: stream)
        return e
    }

    @Test("an event with a given id is logged and found under it, and a newer payload under that id adds nothing")
    func loggedUnderGivenID() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let given = NewEvent(
            type: "TrajectoryProduced", stream: "run/a", payload: .object([("instance_id", .string("inst-1"))]),
            id: Self.identity("inst-1"))
        #expect(given.id == Self.identity("inst-1"))
        #expect(try log.append([given, event(2)]) == [.appended(1), .appended(2)])
        let recorded = try log.event(seq: 1)
        #expect(recorded.id == Self.identity("inst-1"))
        #expect(recorded.payloadBytes == PythonJSON.compactBytes(given.payload))
        #expect(try log.seq(of: Self.identity("inst-1"), stream: "run/a") == 1)
        let contentID = EventIdentity.id(type: given.type, stream: given.stream, payload: given.payload)
        #expect(try log.seq(of: contentID, stream: "run/a") == nil)
        // Events without a given id keep the content-derived one.
        #expect(try log.event(seq: 2).id == event(2).id)

        var newer = given
        newer.schemaVersion = 2
        newer.payload = .object([("instance_id", .string("inst-1")), ("added_in_v2", .bool(true))])
        #expect(try log.append([newer]) == [.existing(1)])
        // The same id in another stream is another fact.
        newer.stream = "run/b"
        #expect(try log.append([newer]) == [.appended(3)])
        let report = try log.verify()
        #expect(report.isClean)
        #expect(report.givenIDs == 2)
    }

    @Test("given ids repeated inside a big batch and mixed with derived ones get the right seqs")
    func bigMixedBatch() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // 3,000 events over several prepared chunks: even ones with given ids, each given id twice (the repeat
        // with another payload), odd ones derived.
        var batch: [NewEvent] = []
        for i in 0..<3000 { batch.append(i % 2 == 0 ? withID(i) : event(i)) }
        for i in stride(from: 0, to: 3000, by: 2) { batch.append(withID(i, payload: 1)) }
        let outcomes = try log.append(batch)
        #expect(outcomes.prefix(3000) == ArraySlice((1...3000).map { .appended(UInt64($0)) }))
        #expect(outcomes.suffix(1500) == ArraySlice(stride(from: 1, to: 3001, by: 2).map { .existing(UInt64($0)) }))
        for (i, e) in try allEvents(log).enumerated() {
            #expect(e.id == batch[i].id)
            #expect(try log.seq(of: batch[i].id, stream: "run/a") == e.seq)
        }
        #expect(try log.append([withID(10, payload: 7), event(11)]) == [.existing(11), .existing(12)])
        let report = try log.verify()
        #expect(report.isClean)
        #expect(report.givenIDs == 1500)
    }

    @Test("a flipped byte in the payload of an event with a given id breaks the hash chain")
    func flippedPayloadOfGivenID() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((0..<5).map { event($0) })
            var marked = withID(5)
            marked.payload = .object([("marker", .string("FLIP-ME-PLEASE"))])
            try log.append([marked])
            try log.append((6..<9).map { event($0) })
            #expect(try log.verify().isClean)
        }
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: Array("FLIP-ME-PLEASE".utf8)))
        // The store cannot recompute a given id; the next event's link to this record catches the change.
        let problem = try #require(try EventLog.open(at: dir.store).verify().problems.first)
        #expect(problem.hasPrefix("event 7 "))
        #expect(problem.contains("hash chain broken"))
    }
}
