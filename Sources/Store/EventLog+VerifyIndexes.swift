import CLMDB

extension EventLog {
    /// Checks the stream and type indexes against the log: every entry well formed, every seq from 1 to
    /// `lastSeq` listed exactly once in each, under the name its record holds; and every entry of the id
    /// index (``verifyIDIndex(_:lastSeq:into:)``). Adds one line per problem to `report` (the first of each
    /// index only: one damaged entry tends to cause many).
    func verifyIndexes(_ txn: LMDBTransaction, lastSeq: UInt64, into report: inout VerifyReport) throws {
        let keyedStreams = try usesStreamKeys(txn)
        for (table, what) in [(streams, "stream"), (types, "type")] {
            if let problem = try verifyIndex(
                txn, table, what: what, streamKeys: what == "stream" && keyedStreams, lastSeq: lastSeq)
            {
                report.problems.append(problem)
            }
        }
        if let problem = try verifyIDIndex(txn, lastSeq: lastSeq, into: &report) { report.problems.append(problem) }
    }

    /// Checks every entry of the id index: well formed, naming a seq of the log whose record's stream has the
    /// entry's stream key. An entry whose id is not the record's is an identity alias (format 6), counted in
    /// `report`; that each event is filed under its own id is checked by `verify`'s walk of the log.
    private func verifyIDIndex(
        _ txn: LMDBTransaction, lastSeq: UInt64, into report: inout VerifyReport
    ) throws
        -> String?
    {
        let legacyKeys = try !usesStreamKeys(txn)
        let types = try typeCodes.names(in: txn)
        var problem: String?
        var aliases = 0
        // Each entry looks its event up somewhere in the log: its own 64 KB mapped.
        var release = ScanPageRelease(environment)
        try txn.scan(ids, from: nil) { key, value in
            release.touch(value)
            guard let id = IDKey.id(key), let seq = SeqKey.decode(value) else {
                problem = "the id index holds a malformed entry"
                return false
            }
            guard seq >= 1 && seq <= lastSeq else {
                problem = "the id index names seq \(seq), which is not in the log"
                return false
            }
            let recorded = try SeqKey.bytes(seq).withUnsafeBytes { k in
                try txn.get(events, k) { record in
                    release.touch(record)
                    return try? decode(record, seq: seq, types)
                } ?? nil
            }
            guard let recorded else {
                problem = "event \(seq): its record, named by the id index, cannot be decoded"
                return false
            }
            let streamKey = StreamKey.word(stream: recorded.stream, legacy: legacyKeys)
            guard key.loadUnaligned(as: UInt64.self) == streamKey else {
                problem = "event \(seq): the id index files it under another stream"
                return false
            }
            if id != recorded.id { aliases += 1 }
            return true
        }
        report.idAliases = aliases
        return problem
    }

    /// `streamKeys`: the index names streams by their ``StreamKey``s (format 5 on), not their UTF-8.
    private func verifyIndex(
        _ txn: LMDBTransaction, _ table: MDB_dbi, what: String, streamKeys: Bool, lastSeq: UInt64
    ) throws
        -> String?
    {
        // A bit per seq: an eighth of a byte per event.
        var listed = SeqBits(count: Int(lastSeq) + 1)
        let types = try typeCodes.names(in: txn)
        var problem: String?
        // Each seq listed looks its event up (a stream's events lie all over the log): its own 64 KB mapped.
        var release = ScanPageRelease(environment)
        try txn.scan(table, from: nil) { key, value in
            release.touch(value)
            guard let (name, firstSeq) = PostingList.decodeKey(key) else {
                problem = "the \(what) index holds a malformed key"
                return false
            }
            let wellFormed = try PostingList.forEachSeq(firstSeq: firstSeq, value: value) { seq in
                guard seq <= lastSeq, !listed.contains(Int(seq)) else {
                    problem =
                        "the \(what) index lists seq \(seq) " + (seq <= lastSeq ? "twice" : "past the end of the log")
                    return false
                }
                listed.insert(Int(seq))
                let matches = try SeqKey.bytes(seq).withUnsafeBytes { k in
                    try txn.get(events, k) { record in
                        release.touch(record)
                        guard let recorded = try? decode(record, seq: seq, types) else { return false }
                        if what == "type" { return recorded.type.utf8.elementsEqual(name) }
                        return streamKeys
                            ? StreamKey.bytes(stream: recorded.stream).elementsEqual(name)
                            : recorded.stream.utf8.elementsEqual(name)
                    }
                }
                guard matches == true else {
                    problem = "event \(seq): the \(what) index files it under another \(what)"
                    return false
                }
                return true
            }
            if !wellFormed && problem == nil { problem = "the \(what) index entry from seq \(firstSeq) is damaged" }
            return problem == nil
        }
        if problem == nil, let missing = listed.firstMissing(from: 1) {
            problem = "event \(missing): missing from the \(what) index"
        }
        return problem
    }
}

/// A set of seqs from 0 to `count - 1`, a bit each.
struct SeqBits {
    private var words: [UInt64]
    let count: Int

    init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    /// The first seq from `start` on that is not in the set; nil when all are.
    func firstMissing(from start: Int) -> Int? {
        var i = start
        while i < count {
            let word = ~words[i >> 6] >> UInt64(i & 63)
            if word != 0 {
                let found = i + word.trailingZeroBitCount
                return found < count ? found : nil
            }
            i = (i | 63) + 1
        }
        return nil
    }
}
