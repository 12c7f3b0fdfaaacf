import CLMDB

/// The stream and type indexes: per name and batch, one entry listing the batch's seqs with that name.
///
/// Key: the name, a NUL byte, then the first seq (8 bytes big-endian), so one name's entries sort by seq.
/// The type index's names are the types' UTF-8; the stream index's are ``StreamKey``s (format 5 on;
/// the streams' UTF-8 before). Value: the gaps to each further seq as unsigned LEB128 varints (empty for a
/// single seq).
/// A batch of 10,000 events over a few streams writes a few entries instead of one per event and name,
/// which is what made index puts the largest cost of an append.
enum PostingList {
    /// The key of the run starting at `firstSeq`: `name`, NUL, `firstSeq` big-endian.
    static func key(_ name: UnsafeRawBufferPointer, firstSeq: UInt64) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(name.count + 9)
        key.append(contentsOf: name)
        key.append(0)
        withUnsafeBytes(of: firstSeq.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The name and first seq of a key; nil when it is not shaped like one.
    static func decodeKey(_ key: UnsafeRawBufferPointer) -> (name: UnsafeRawBufferPointer, firstSeq: UInt64)? {
        guard key.count >= 9, key[key.count - 9] == 0,
            let seq = SeqKey.decode(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]))
        else { return nil }
        return (UnsafeRawBufferPointer(rebasing: key[..<(key.count - 9)]), seq)
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Calls `body` with each seq of an entry in order, until it returns false; returns false when the value
    /// is malformed (a truncated varint, a zero gap, or a seq past 2^64).
    static func forEachSeq(
        firstSeq: UInt64, value: UnsafeRawBufferPointer, _ body: (UInt64) throws -> Bool
    ) rethrows -> Bool {
        var seq = firstSeq
        guard try body(seq) else { return true }
        var gap: UInt64 = 0
        var shift: UInt64 = 0
        for byte in value {
            guard shift < 64 else { return false }
            gap |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 != 0 {
                shift += 7
                continue
            }
            let (next, overflow) = seq.addingReportingOverflow(gap)
            guard gap > 0, !overflow else { return false }
            seq = next
            guard try body(seq) else { return true }
            gap = 0
            shift = 0
        }
        return shift == 0
    }

    /// Number of seqs in an entry's value (one more than its varints).
    static func count(value: UnsafeRawBufferPointer) -> Int {
        1 + value.reduce(0) { $0 + ($1 & 0x80 == 0 ? 1 : 0) }
    }
}

/// The posting lists one batch adds to an index, built in seq order inside the write transaction.
struct PostingLists {
    private var names: [[UInt8]] = []
    private var firstSeqs: [UInt64] = []
    private var lastSeqs: [UInt64] = []
    private var gaps: [[UInt8]] = []
    /// Name → slot, used once there are too many names to compare one by one.
    private var slots: [[UInt8]: Int] = [:]
    private var last = -1

    /// Adds `seq` (greater than every seq added before) under `name`.
    mutating func add(_ name: UnsafeRawBufferPointer, seq: UInt64) {
        // Events mostly come grouped by stream, and a batch has few types: the last name or a short scan
        // finds the slot without hashing.
        if last >= 0 && Self.equal(names[last], name) {
            append(seq, at: last)
            return
        }
        let slot: Int?
        if names.count <= 8 {
            slot = names.firstIndex { Self.equal($0, name) }
        } else {
            slot = slots[Array(name)]
        }
        if let slot {
            last = slot
            append(seq, at: slot)
            return
        }
        last = names.count
        names.append(Array(name))
        firstSeqs.append(seq)
        lastSeqs.append(seq)
        gaps.append([])
        if names.count > 8 {
            if slots.isEmpty {
                for (i, n) in names.enumerated() { slots[n] = i }
            } else {
                slots[names[last]] = last
            }
        }
    }

    private static func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        a.withUnsafeBytes { bytesEqual($0, b) }
    }

    private mutating func append(_ seq: UInt64, at slot: Int) {
        PostingList.appendVarint(seq - lastSeqs[slot], to: &gaps[slot])
        lastSeqs[slot] = seq
    }

    /// Writes one entry per name, in key order (which keeps the cursor's B-tree walk short).
    func write(_ txn: LMDBTransaction, _ db: MDB_dbi) throws {
        let order = names.indices.sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
        // Each key lands on its own page of the index, all over a large store, mapping the 64 KB around it: released
        // as it goes, as the batch's id inserts are.
        var release = ScanPageRelease(txn.environment, every: BatchWriter.releaseInterval)
        try txn.withCursor(db) { cursor in
            for i in order {
                release.step()
                let key = names[i].withUnsafeBytes { PostingList.key($0, firstSeq: firstSeqs[i]) }
                try key.withUnsafeBytes { k in
                    try gaps[i].withUnsafeBytes { v in
                        guard try cursor.insert(k, v, existing: { _ in true }) == nil else {
                            throw LogError(.corrupt, "an index entry for seq \(firstSeqs[i]) is already present")
                        }
                    }
                }
            }
        }
    }
}
