import CLMDB

extension EventLog {
    /// Checks the stream and type indexes against the log: every entry well formed, every seq from 1 to
    /// `lastSeq` listed exactly once in each, under the name its record holds. Returns one line per
    /// problem (the first of each index only: one damaged entry tends to cause many).
    func verifyIndexes(_ txn: LMDBTransaction, lastSeq: UInt64) throws -> [String] {
        var problems: [String] = []
        let keyedStreams = try usesStreamKeys(txn)
        for (table, what) in [(streams, "stream"), (types, "type")] {
            if let problem = try verifyIndex(
                txn, table, what: what, streamKeys: what == "stream" && keyedStreams, lastSeq: lastSeq)
            {
                problems.append(problem)
            }
        }
        return problems
    }

    /// `streamKeys`: the index names streams by their ``StreamKey``s (format 5 on), not their UTF-8.
    private func verifyIndex(
        _ txn: LMDBTransaction, _ table: MDB_dbi, what: String, streamKeys: Bool, lastSeq: UInt64
    ) throws
        -> String?
    {
        var listed = [Bool](repeating: false, count: Int(lastSeq) + 1)
        var types = typeCodes.snapshot
        var problem: String?
        try txn.scan(table, from: nil) { key, value in
            guard let (name, firstSeq) = PostingList.decodeKey(key) else {
                problem = "the \(what) index holds a malformed key"
                return false
            }
            let wellFormed = try PostingList.forEachSeq(firstSeq: firstSeq, value: value) { seq in
                guard seq <= lastSeq, !listed[Int(seq)] else {
                    problem =
                        "the \(what) index lists seq \(seq) " + (seq <= lastSeq ? "twice" : "past the end of the log")
                    return false
                }
                listed[Int(seq)] = true
                let matches = try SeqKey.bytes(seq).withUnsafeBytes { k in
                    try txn.get(events, k) { record in
                        guard let recorded = try? decode(record, seq: seq, txn, &types) else { return false }
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
        if problem == nil, let missing = listed.indices.dropFirst().first(where: { !listed[$0] }) {
            problem = "event \(missing): missing from the \(what) index"
        }
        return problem
    }
}
