import Foundation
import SmithJSON
import SmithStore
import Testing

/// The append path's preparation (records encoded through a pointer, ids hashed from the record's bytes, id
/// keys sorted as packed words, chunks shared between the writer and its helpers) against what it must keep.
@Suite("append path")
struct AppendPathTests {
    @Test("event ids stay what they were: SHA-256 of type, NUL, stream, NUL, canonical payload")
    func idsAreStable() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let unsorted = NewEvent(
            type: "EvalVerdictRecorded", stream: "run/w-3",
            payload: .object([("resolved", .bool(true)), ("index", .number("42")), ("instance_id", .string("x"))]))
        try log.append([event(1), unsorted])
        let all = try allEvents(log)
        // Computed outside smithlog (Python's hashlib over the canonical JSON).
        #expect(all[0].id.hex == "de140685b436e34afd0187713eb4e0857bd31ae4bf10c29e4519883fe07c7581")
        #expect(all[1].id.hex == "2f4084faccbf20963a11f5a5a41057b7502ec371bc1eada2a8cd10dc07b382b0")
        #expect(all[0].id == event(1).id)
        #expect(all[1].id == unsorted.id)
    }

    @Test("every envelope field reads back as appended, across chunks, streams and blob counts")
    func envelopesReadBack() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let blobs = (0..<3).map { PreparedBlob(Array("blob \($0)".utf8)) }
        // Streams alternate and repeat (the id-key prefix is reused only while the stream's bytes stay the
        // same), schema versions and blob counts vary, and the batch spans several chunks.
        let streams = ["run/a", "run/b", "run/é", "run/a"]
        let batch = (0..<2500).map { (i: Int) -> NewEvent in
            let payload: JSONValue = .object([("z", .int(i)), ("a", .string("v\(i)"))])
            return NewEvent(
                type: i % 7 == 0 ? "TrajectoryProduced" : "EvalVerdictRecorded", schemaVersion: 1 + i % 3,
                stream: streams[i / 5 % 4], payload: payload, blobs: blobs.prefix(i % 4).map(\.digest))
        }
        let outcomes = try log.append(batch, blobs: blobs)
        #expect(outcomes == (1...2500).map { AppendOutcome.appended(UInt64($0)) })
        let all = try allEvents(log)
        #expect(all.count == batch.count)
        for (e, r) in zip(batch, all) {
            #expect(r.type == e.type)
            #expect(r.stream == e.stream)
            #expect(r.schemaVersion == e.schemaVersion)
            #expect(r.blobs == e.blobs)
            #expect(r.actor == log.actor)
            #expect(r.payloadBytes == PythonJSON.compactBytes(e.payload))
            #expect(r.id == e.id)
            #expect(try log.seq(of: e.id, stream: e.stream) == r.seq)
        }
        #expect(try log.verify().isClean)
    }

    @Test("a chunk of hundreds of streams and repeats files every id under the right seq")
    func manyStreamsPerChunk() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // One stream per event: more stream prefixes in a chunk than its packed sort keys rank.
        let distinct = (0..<3000).map { event($0, stream: "run/s\($0)") }
        #expect(try log.append(distinct) == (1...3000).map { AppendOutcome.appended(UInt64($0)) })
        // Repeats among new events, within the batch and of earlier batches, in several chunks.
        let mixed = (0..<3000).map { i in i % 3 == 0 ? distinct[i] : event(i, stream: "run/t\(i % 5)") }
        let batch = mixed + mixed.prefix(100)
        let outcomes = try log.append(batch)
        var seqOf = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1.id, UInt64($0 + 1)) })
        var next: UInt64 = 3001
        var expected: [AppendOutcome] = []
        for e in batch {
            if let seq = seqOf[e.id] {
                expected.append(.existing(seq))
            } else {
                expected.append(.appended(next))
                seqOf[e.id] = next
                next += 1
            }
        }
        #expect(outcomes == expected)
        #expect(try log.lastSeq() == next - 1)
        for (i, e) in distinct.enumerated() { #expect(try log.seq(of: e.id, stream: e.stream) == UInt64(i + 1)) }
        #expect(try log.verify().isClean)
    }

    @Test("an invalid event deep in a big batch refuses the whole batch, and appends go on")
    func invalidEventInLaterChunk() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        for bad in [
            NewEvent(type: "Bad\u{0}Type", stream: "run/a", payload: .null),
            NewEvent(type: "TrajectoryProduced", stream: "", payload: .null),
            NewEvent(type: String(repeating: "T", count: 1024), stream: "run/a", payload: .null),
        ] {
            var batch = (0..<5000).map { event($0) }
            batch[4321] = bad
            #expect(throws: LogError.self) { try log.append(batch) }
            #expect(try log.lastSeq() == 0)
        }
        try log.append((0..<5000).map { event($0) })
        #expect(try log.lastSeq() == 5000)
        #expect(try log.verify().isClean)
    }

    @Test("a type first seen in a batch that fails gets no code; later batches' types read back by name")
    func typeCodesOfAFailedBatch() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append([event(0, type: "Known")])
            // The new type's code is assigned while the first chunks are written, then the batch fails.
            var batch = (0..<5000).map { event($0 + 1, type: "Fresh") }
            batch[4321] = NewEvent(type: "Fresh", stream: "", payload: .null)
            #expect(throws: LogError.self) { try log.append(batch) }
            try log.append([event(1, type: "Fresh")])
            try log.append([event(2, type: "Other"), event(3, type: "Known")])
            #expect(try allEvents(log).map(\.type) == ["Known", "Fresh", "Other", "Known"])
        }
        // A new process starts with no codes: it reads them from the store, and adds to them.
        let log = try EventLog.open(at: dir.store)
        try log.append([event(4, type: "Later"), event(5, type: "Other")])
        #expect(try allEvents(log).map(\.type) == ["Known", "Fresh", "Other", "Known", "Later", "Other"])
        var fresh: [UInt64] = []
        try log.forEach(type: "Fresh") {
            fresh.append($0.seq)
            return true
        }
        #expect(fresh == [2])
        #expect(try log.verify().isClean)
    }

    @Test("an append that must grow the map inside another open transaction fails clearly instead of waiting")
    func growthInsideAnotherTransaction() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, initialMapSize: 1 << 20)
        var generator = SystemRandomNumberGenerator()
        let blob = PreparedBlob((0..<2_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try log.append([event(0)])
        // Appending while reading the log: the read's transaction is open around the append.
        let error = try #require(throws: LogError.self) {
            try log.forEach { _ in
                try log.append([event(1, blobs: [blob.digest])], blobs: [blob])
                return false
            }
        }
        #expect(error.code == .full)
        #expect(error.message.contains("inside another open transaction"))
        try log.append([event(1, blobs: [blob.digest])], blobs: [blob])
        #expect(try log.lastSeq() == 2)
    }

    @Test("a store closed after an append opens with it, and so does one closed without writing")
    func closeAfterAppend() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((0..<100).map { event($0) })
        }
        do { _ = try EventLog.open(at: dir.store) }
        let log = try EventLog.open(at: dir.store, readOnly: true)
        #expect(try log.lastSeq() == 100)
        #expect(try log.verify().isClean)
    }
}
