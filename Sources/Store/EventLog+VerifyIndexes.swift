import CLMDB

extension EventLog {
    /// Checks the stream and type indexes against the log: every entry well formed, every seq from 1 to
    /// `lastSeq` listed exactly once in each, under the name its record holds. Returns one line per
    /// problem (the first of each index only: one damaged entry tends to cause many).
    ///
    /// Reads the name straight from each record at its fixed offset instead of decoding the record.
    func verifyIndexes(_ txn: LMDBTransaction, lastSeq: UInt64) throws -> [String] {
        var problems: [String] = []
        for (table, what) in [(streams, "stream"), (types, "type")] {
            if let problem = try verifyIndex(txn, table, what: what, lastSeq: lastSeq) {
                problems.append(problem)
            }
        }
        return problems
    }

    private func verifyIndex(
        _ txn: LMDBTransaction, _ table: MDB_dbi, what: String, lastSeq: UInt64
    ) throws
        -> String?
    {
        var listed = [Bool](repeating: false, count: Int(lastSeq) + 1)
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
                    try txn.get(events, k) { Self.recordName($0, type: what == "type")?.elementsEqual(name) == true }
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

    /// The type's or the stream's UTF-8 inside a stored record; nil when the record is too short.
    private static func recordName(_ record: UnsafeRawBufferPointer, type: Bool) -> UnsafeRawBufferPointer? {
        var r = ByteReader(record)
        r.offset = EventRecordCodec.typeOffset - 2
        guard let typeCount = r.int(UInt16.self), record.count - r.offset >= Int(typeCount) else { return nil }
        if type { return UnsafeRawBufferPointer(rebasing: record[r.offset..<r.offset + Int(typeCount)]) }
        r.offset += Int(typeCount)
        guard let streamCount = r.int(UInt32.self), record.count - r.offset >= Int(streamCount) else { return nil }
        return UnsafeRawBufferPointer(rebasing: record[r.offset..<r.offset + Int(streamCount)])
    }
}
