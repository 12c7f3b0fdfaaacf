import SmithJSON
import Testing

@testable import SmithStore

@Suite("indexes")
struct IndexTests {
    private func seqs(_ log: EventLog, stream: String? = nil, type: String? = nil, from: UInt64 = 1) throws -> [UInt64]
    {
        var out: [UInt64] = []
        let collect = { (e: RecordedEvent) -> Bool in
            out.append(e.seq)
            return true
        }
        if let stream { try log.forEach(stream: stream, from: from, collect) }
        if let type { try log.forEach(type: type, from: from, collect) }
        return out
    }

    @Test("reads by stream and type follow seq order across batches, from any seq, and can stop early")
    func postingLists() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // Interleaved streams over three batches, one big enough to span several prepared chunks;
        // "a" and "a\u{301}" are byte-different names, and "run/a" a prefix of "run/ab".
        // Keyed by bytes: `String` keys would merge the two spellings of "run/á".
        var expected: [[UInt8]: [UInt64]] = [:]
        var seq: UInt64 = 0
        for size in [7, 5000, 3] {
            var batch: [NewEvent] = []
            for i in 0..<size {
                let stream = ["run/a", "run/ab", "run/\u{e1}", "run/a\u{301}", "s/\(i % 20)"][i % 5]
                batch.append(event(Int(seq) + i, stream: stream, type: i % 3 == 0 ? "T3" : "Other"))
            }
            for (j, outcome) in try log.append(batch).enumerated() {
                seq += 1
                #expect(outcome == .appended(seq))
                expected[Array(batch[j].stream.utf8), default: []].append(seq)
            }
        }
        #expect(try log.lastSeq() == 5010)
        #expect(expected.count == 8)
        for (bytes, list) in expected {
            let stream = String(decoding: bytes, as: UTF8.self)
            #expect(try seqs(log, stream: stream) == list, "\(stream)")
            for from in [1, 4, 6, 7, 8, 2500, 5008, 5011] as [UInt64] {
                #expect(
                    try seqs(log, stream: stream, from: from) == list.filter { $0 >= from }, "\(stream) from \(from)")
            }
        }
        let all = try allEvents(log)
        let t3 = all.filter { $0.type == "T3" }.map(\.seq)
        #expect(try seqs(log, type: "T3") == t3)
        #expect(try seqs(log, type: "T3", from: 4000) == t3.filter { $0 >= 4000 })
        #expect(try seqs(log, type: "T") == [])
        #expect(try seqs(log, stream: "run/") == [])
        var firstTwo: [UInt64] = []
        try log.forEach(stream: "run/ab") {
            firstTwo.append($0.seq)
            return firstTwo.count < 2
        }
        #expect(firstTwo == Array(expected[Array("run/ab".utf8)]!.prefix(2)))
        let stats = try log.stats()
        #expect(stats.eventsByType.map(\.count).reduce(0, +) == 5010)
        #expect(stats.streams == 8)
        #expect(try log.verify().isClean)
    }

    @Test("repeats inside a big batch and known events among new ones get the right seqs")
    func repeatsAndKnownEvents() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<10).map { event($0 * 100) })
        // New events, known events (seqs 1...10) and repeats, spread over several prepared chunks.
        var batch: [NewEvent] = []
        for i in 0..<3000 {
            batch.append(i % 300 == 0 ? event((i / 300) * 100) : event(100_000 + i % 1500))
        }
        let outcomes = try log.append(batch)
        var next: UInt64 = 11
        var firstSeq: [Int: UInt64] = [:]
        for (i, outcome) in outcomes.enumerated() {
            if i % 300 == 0 {
                #expect(outcome == .existing(UInt64(i / 300 + 1)))
            } else if let seq = firstSeq[i % 1500] {
                #expect(outcome == .existing(seq))
            } else {
                #expect(outcome == .appended(next))
                firstSeq[i % 1500] = next
                next += 1
            }
        }
        #expect(try log.lastSeq() == next - 1)
        for (k, seq) in firstSeq {
            #expect(try log.seq(of: event(100_000 + k).id, stream: "run/a") == seq)
        }
        #expect(try log.verify().isClean)
    }
}

@Suite("index verification")
struct IndexVerifyTests {
    @Test("verify finds a seq filed under the wrong stream and a seq missing from the type index")
    func damagedIndexes() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<20).map { event($0, stream: $0 % 2 == 0 ? "run/a" : "run/b") })
        #expect(try log.verify().isClean)
        // A stray entry: seq 2 (run/b) also filed under run/a, as it would be if the two names' hashes
        // shared their first 8 bytes.
        try log.environment.write { txn in
            let key = StreamKey.bytes(stream: "run/a") + [0] + SeqKey.bytes(2)
            try key.withUnsafeBytes { k in try [UInt8]().withUnsafeBytes { v in _ = try txn.put(log.streams, k, v) } }
        }
        var runA: [UInt64] = []
        try log.forEach(stream: "run/a") {
            runA.append($0.seq)
            return true
        }
        #expect(runA == stride(from: 1, through: 19, by: 2).map { UInt64($0) })
        let report = try log.verify()
        #expect(report.problems.first?.contains("stream index") == true, "\(report.problems)")
    }

    @Test("verify finds an event missing from the type index")
    func missingFromTypeIndex() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<5).map { event($0) })
        try log.append([event(99, type: "Other")])
        let deleted = try log.environment.write { txn in
            let key = Array("Other".utf8) + [0] + SeqKey.bytes(6)
            return try key.withUnsafeBytes { k in try txn.delete(log.types, k) }
        }
        #expect(deleted)
        let report = try log.verify()
        #expect(report.problems == ["event 6: missing from the type index"])
    }

    @Test("verify counts id-index aliases, and names one filed under another stream or naming no event")
    func idIndexAliases() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<10).map { event($0, stream: $0 % 2 == 0 ? "run/a" : "run/b") })
        func put(_ stream: String, _ id: Digest, seq: UInt64) throws {
            try log.environment.write { txn in
                try IDKey.make(stream: stream, id: id).withUnsafeBytes { k in
                    try SeqKey.bytes(seq).withUnsafeBytes { v in _ = try txn.put(log.ids, k, v) }
                }
            }
        }
        func remove(_ stream: String, _ id: Digest) throws {
            try log.environment.write { txn in
                _ = try IDKey.make(stream: stream, id: id).withUnsafeBytes { k in try txn.delete(log.ids, k) }
            }
        }
        let identity = Digest.sha256(Array("identity".utf8))
        // Seq 1 is run/a's: an alias in run/a is sound, and finds it.
        try put("run/a", identity, seq: 1)
        #expect(try log.seq(of: identity, stream: "run/a") == 1)
        var report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.idAliases == 1)

        try put("run/b", identity, seq: 1)
        report = try log.verify()
        #expect(report.problems == ["event 1: the id index files it under another stream"])
        try remove("run/b", identity)

        try put("run/b", identity, seq: 11)
        report = try log.verify()
        #expect(report.problems == ["the id index names seq 11, which is not in the log"])
    }
}
