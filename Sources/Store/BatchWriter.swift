import CLMDB

/// The part of an append that runs inside the write transaction, one prepared chunk at a time: claims
/// seqs, inserts ids, writes records (with their type codes) linked into the hash chain, and collects the
/// batch's posting lists.
struct BatchWriter {
    let txn: LMDBTransaction
    let ids: LMDBCursor
    let events: LMDBCursor
    let log: EventLog
    /// Blobs known to be stored (written in this transaction, or by the caller before): not looked up.
    let knownStoredBlobs: Set<Digest>
    let newEvents: BatchEvents
    private(set) var head: EventLog.Head
    private(set) var outcomes: [AppendOutcome] = []
    private(set) var streams = PostingLists()
    private(set) var types = PostingLists()
    /// The store's type codes as this transaction has them, including any it assigned.
    private(set) var typeNames: TypeCodes.Names

    init(
        txn: LMDBTransaction, ids: LMDBCursor, events: LMDBCursor, log: EventLog, knownStoredBlobs: Set<Digest>,
        newEvents: BatchEvents, head: EventLog.Head
    ) {
        self.txn = txn
        self.ids = ids
        self.events = events
        self.log = log
        self.knownStoredBlobs = knownStoredBlobs
        self.newEvents = newEvents
        self.head = head
        typeNames = log.typeCodes.snapshot
        outcomes.reserveCapacity(newEvents.count)
    }

    /// Writes the chunk's events that are not in the log yet, in batch order, after the current head.
    mutating func write(_ chunk: inout PreparedChunk) throws {
        let entries = chunk.entries
        let eventBlobs = chunk.blobs
        let chunkTypes = chunk.types
        let base = head.seq + 1
        var claim = SeqClaim(count: entries.count)
        // Each new id lands on its own leaf of the id index, and each blob check on its own page of the blob
        // tables: both all over a large store, each read mapping 64 KB around it (fault-around). Released as
        // they go, a batch of N events keeps a few MB mapped instead of N x 64 KB (320 MB for a combined SFT
        // set of 5,000 lines in a million-event store).
        var release = ScanPageRelease(log.environment, every: Self.releaseInterval)
        try insertIDs(chunk, base: base, claim: &claim, release: &release)
        var codes: [UInt16] = []
        for type in chunk.types { codes.append(try log.typeCodes.code(for: type, in: txn, &typeNames)) }
        let typeUTF8 = chunk.types.map { Array($0.utf8) }
        try chunk.arena.withUnsafeMutableBytes { raw in
            for (j, entry) in entries.enumerated() {
                // Only a lookup maps store pages: blobs written in this batch (a pull's, usually) need none, and a
                // release (an madvise with its TLB shootdown) costs more than a lookup.
                if entry.hasBlobs, try checkBlobs(eventBlobs[j], type: chunkTypes[entry.typeSlot]) { release.step() }
                if let seq = claim.existingSeq(j) {
                    outcomes.append(.existing(seq))
                    continue
                }
                let seq = claim.seqs[j]
                let record = UnsafeMutableRawBufferPointer(rebasing: raw[entry.record..<entry.recordEnd])
                record.storeBytes(
                    of: codes[entry.typeSlot].littleEndian, toByteOffset: EventRecordCodec.typeCodeOffset,
                    as: UInt16.self)
                head.hash.withUnsafeBytes {
                    UnsafeMutableRawBufferPointer(rebasing: record[EventRecordCodec.previousHashOffset...])
                        .copyMemory(from: $0)
                }
                try withUnsafeBytes(of: seq.bigEndian) { k in
                    _ = try events.put(k, UnsafeRawBufferPointer(record), append: true)
                }
                head = EventLog.Head(seq: seq, hash: Digest.sha256(UnsafeRawBufferPointer(record)))
                streams.add(UnsafeRawBufferPointer(rebasing: raw[entry.streamKey]), seq: seq)
                typeUTF8[entry.typeSlot].withUnsafeBytes { types.add($0, seq: seq) }
                outcomes.append(.appended(seq))
            }
        }
    }

    /// Inserts the chunk's ids and decides each event's fate in `claim`.
    ///
    /// Each new id is written with the seq it gets if every event of the chunk is new (the usual case);
    /// when some turn out to be known already, the later new ids are rewritten with their real seqs.
    private func insertIDs(
        _ chunk: PreparedChunk, base: UInt64, claim: inout SeqClaim, release: inout ScanPageRelease
    ) throws {
        let order = chunk.keyOrder
        try chunk.sortedKeys.withUnsafeBytes { keys in
            func key(_ p: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: keys[(p * IDKey.size)..<((p + 1) * IDKey.size)])
            }
            // A repeated id sits right after its first occurrence in key order.
            var unique: [Int] = []
            unique.reserveCapacity(order.count)
            var runFirst = -1
            for p in order.indices {
                let j = Int(order[p])
                if runFirst >= 0 && IDKey.equal(key(p), key(p - 1).baseAddress!) {
                    claim.repeatOf[j] = Int32(runFirst)
                    continue
                }
                runFirst = j
                unique.append(p)
            }
            for p in Self.insertionOrder(unique, keys) {
                let j = Int(order[p])
                let found = try withUnsafeBytes(of: (base + UInt64(j)).bigEndian) { v in
                    try ids.insert(key(p), v) { SeqKey.decode($0) }
                }
                release.step()
                if let found {
                    guard let seq = found, seq > 0 else {
                        throw LogError(.corrupt, "the id index holds a damaged seq", path: txn.environment.path)
                    }
                    claim.known[j] = seq
                }
            }
            guard claim.assign(base: base) else { return }
            for p in order.indices {
                let j = Int(order[p])
                let seq = claim.seqs[j]
                guard seq != 0, seq != base + UInt64(j) else { continue }
                try withUnsafeBytes(of: seq.bigEndian) { v in _ = try ids.put(key(p), v) }
            }
        }
    }

    /// Random-key index writes and blob checks counted between two releases of the store's mapped pages (when
    /// the log's ``MemoryPolicy`` releases them), as ``EventLog/blobPutsPerRelease`` counts blob writes: each
    /// maps its leaf and, in a store of a million events, often a branch page of its own too. What is held is
    /// measured before a release, so this sets how often that happens, not how much is held (counted alone, at
    /// 64 an SFT set's append held 7 to 9 MB of the store at the team workload's full size).
    static let releaseInterval = 64

    /// Stream runs at least this long (in ids) are inserted odd ones first; about a page of the id index.
    static let interleavedRun = 64

    /// The order to insert `sorted` (positions of distinct keys, in key order) in: key order, except that
    /// each long run of one stream's ids goes every other id first, then the ids between them.
    ///
    /// LMDB splits a full page in the middle unless the new key goes last on it, and a stream's new ids land
    /// between other streams' keys: inserted in key order, each fills a page that then splits in two, its
    /// half behind the insertion point never touched again, so the index grew by half-empty pages. The
    /// second pass fills the gaps the first one left in those pages: the id index takes 44% fewer pages, and
    /// a batch of small events writes 11% fewer bytes.
    static func insertionOrder(_ sorted: [Int], _ keys: UnsafeRawBufferPointer) -> [Int] {
        func prefix(_ p: Int) -> UInt64 { keys.loadUnaligned(fromByteOffset: p * IDKey.size, as: UInt64.self) }
        var out: [Int] = []
        out.reserveCapacity(sorted.count)
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && prefix(sorted[end]) == prefix(sorted[start]) { end += 1 }
            if end - start >= interleavedRun {
                out.append(contentsOf: stride(from: start, to: end, by: 2).map { sorted[$0] })
                out.append(contentsOf: stride(from: start + 1, to: end, by: 2).map { sorted[$0] })
            } else {
                out.append(contentsOf: sorted[start..<end])
            }
            start = end
        }
        return out
    }

    /// Every blob an event (of `type`) names must be in this batch, known stored or found stored; true when any
    /// was looked up.
    private func checkBlobs(_ blobs: [Digest], type: String) throws -> Bool {
        var lookedUp = false
        for b in blobs where !knownStoredBlobs.contains(b) {
            lookedUp = true
            let present = try log.storedBlob(txn, b) { _ in true }
            guard present != nil else {
                throw LogError(.invalidArgument, "event \(type) refers to blob \(b.hex), which is not stored")
            }
        }
        return lookedUp
    }

    /// Writes the batch's posting lists; call once, after the last chunk.
    func writeIndexes(streamTable: MDB_dbi, typeTable: MDB_dbi) throws {
        try streams.write(txn, streamTable)
        try types.write(txn, typeTable)
    }
}

/// The events a ``BatchWriter`` writes: appended here (held, or made chunk by chunk), or pulled from another store.
enum BatchEvents {
    case new([NewEvent])
    case streamed(count: Int)
    case pulled([PulledEvent])

    var count: Int {
        switch self {
        case .new(let events): return events.count
        case .streamed(let count): return count
        case .pulled(let events): return events.count
        }
    }
}

/// What happens to each event of a chunk: written at a new seq, or already in the log.
struct SeqClaim {
    /// The seq an event already has in the log (0: none).
    var known: [UInt64]
    /// For a repeat of an earlier event of the chunk, that event's entry number (-1: not a repeat).
    var repeatOf: [Int32]
    /// The seq each new event is written at (0 for the others).
    var seqs: [UInt64]

    init(count: Int) {
        known = [UInt64](repeating: 0, count: count)
        repeatOf = [Int32](repeating: -1, count: count)
        seqs = [UInt64](repeating: 0, count: count)
    }

    /// Numbers the new events from `base` in batch order; true when any seq differs from `base + entry`.
    mutating func assign(base: UInt64) -> Bool {
        var next = base
        var shifted = false
        for j in seqs.indices where known[j] == 0 && repeatOf[j] < 0 {
            seqs[j] = next
            if next != base + UInt64(j) { shifted = true }
            next += 1
        }
        return shifted
    }

    /// The seq of an event that is not new: its own, or that of the earlier event it repeats.
    func existingSeq(_ j: Int) -> UInt64? {
        if repeatOf[j] >= 0 {
            let first = Int(repeatOf[j])
            return known[first] != 0 ? known[first] : seqs[first]
        }
        return known[j] != 0 ? known[j] : nil
    }
}
