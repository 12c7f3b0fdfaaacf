import CLMDB

/// Reading the log: every read runs in one LMDB read transaction (a consistent snapshot) and streams
/// events to a closure, so no read ever holds the whole log in memory.
extension EventLog {
    /// The seq of the last event, 0 when the log is empty.
    public func lastSeq() throws -> UInt64 {
        try environment.read { txn in try head(txn).seq }
    }

    /// Calls `body` for each event with seq >= `from`, in order, until it returns false.
    ///
    /// When the log's ``MemoryPolicy`` releases pages, the pages read are unmapped from the process every few
    /// MB of records (``ScanPageRelease``) and at the end, so a scan of the whole log does not keep it all
    /// resident, however large its events.
    public func forEach(from: UInt64 = 1, _ body: (RecordedEvent) throws -> Bool) throws {
        defer { environment.releaseMappedPagesIfPolicy() }
        var release = ScanPageRelease(environment, budget: Self.eventScanBudget)
        try environment.read { txn in
            let types = try typeCodes.names(in: txn)
            try SeqKey.bytes(from).withUnsafeBytes { start in
                try txn.scan(events, from: start) { key, value in
                    let event = try self.decode(value, key: key, types)
                    release.touch(value)
                    return try body(event)
                }
            }
        }
    }

    /// Bytes a scan of events maps between two releases, in seq order or by stream or type: less than other
    /// scans' budget, because events lie scattered among their transactions' blobs and each one read maps a
    /// window of its own. With 4 MB, the catch-up after a run of 2,600 trajectories (team workload, 1x) held
    /// 5.4 MB of the store against 2.7 MB for 650 (a quarter), the peak of `ingest trajectories`; and
    /// `checkpoint record`'s scans of the SFT sets and checkpoints held 4 MB at 1x.
    static let eventScanBudget = 1 << 20

    /// Calls `body` for the events of one stream, in seq order, from seq `from`.
    public func forEach(stream: String, from: UInt64 = 1, _ body: (RecordedEvent) throws -> Bool) throws {
        defer { environment.releaseMappedPagesIfPolicy() }
        try environment.read { txn in try forEach(stream: stream, from: from, in: txn, body) }
    }

    /// ``forEach(stream:from:_:)`` in the transaction `txn`.
    func forEach(
        stream: String, from: UInt64, in txn: LMDBTransaction, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard try usesStreamKeys(txn) else {
            return try forEachIndexed(txn, streams, name: Array(stream.utf8), from: from, body)
        }
        // Streams that share a stream key share entries: keep this stream's events only.
        try forEachIndexed(txn, streams, name: StreamKey.bytes(stream: stream), from: from) { e in
            e.stream == stream ? try body(e) : true
        }
    }

    /// Calls `body` for the events of one type, in seq order, from seq `from`.
    public func forEach(type: String, from: UInt64 = 1, _ body: (RecordedEvent) throws -> Bool) throws {
        defer { environment.releaseMappedPagesIfPolicy() }
        try environment.read { txn in try forEachIndexed(txn, types, name: Array(type.utf8), from: from, body) }
    }

    /// Walks one name's posting lists in `table` from the one holding `from`, fetching each event by seq.
    private func forEachIndexed(
        _ txn: LMDBTransaction, _ table: MDB_dbi, name: [UInt8], from: UInt64,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let prefix = name + [0]
        let start = prefix + SeqKey.bytes(from)
        let types = try typeCodes.names(in: txn)
        var first = true
        // A stream's or type's events lie all over the log: each fetch may map its own 64 KB (fault-around).
        var release = ScanPageRelease(environment, budget: Self.eventScanBudget)
        try start.withUnsafeBytes { s in
            try txn.scan(table, fromFloor: s) { key, value in
                guard key.count == prefix.count + 8, key.starts(with: prefix),
                    let firstSeq = SeqKey.decode(UnsafeRawBufferPointer(rebasing: key[prefix.count...]))
                else {
                    // The floor may be the previous name's last entry: skip it, stop at the next name.
                    defer { first = false }
                    return first
                }
                first = false
                var keepGoing = true
                let wellFormed = try PostingList.forEachSeq(firstSeq: firstSeq, value: value) { seq in
                    guard seq >= from else { return true }
                    guard
                        let event = try SeqKey.bytes(seq).withUnsafeBytes({ k in
                            try txn.get(events, k) { record in
                                release.touch(record)
                                return try self.decode(record, seq: seq, types)
                            }
                        })
                    else {
                        throw LogError(
                            .corrupt, "index names seq \(seq), which is not in the log", path: location.logPath)
                    }
                    keepGoing = try body(event)
                    return keepGoing
                }
                guard wellFormed else {
                    throw LogError(
                        .corrupt, "an index entry from seq \(firstSeq) is damaged", path: location.logPath)
                }
                return keepGoing
            }
        }
    }

    /// The event at `seq`; throws `.notFound` when there is none.
    public func event(seq: UInt64) throws -> RecordedEvent {
        let found = try environment.read { txn in
            let types = try typeCodes.names(in: txn)
            return try SeqKey.bytes(seq).withUnsafeBytes { k in
                try txn.get(events, k) { try self.decode($0, seq: seq, types) }
            }
        }
        environment.notePointRead(ScanPageRelease.window)
        guard let found else {
            throw LogError(.notFound, "no event with seq \(seq) (the log has \(try lastSeq()) events)")
        }
        return found
    }

    /// The seq of the event with this id in `stream`, or nil. Direct lookup.
    public func seq(of id: Digest, stream: String) throws -> UInt64? {
        try environment.read { txn in
            let legacy = try !usesStreamKeys(txn)
            return try IDKey.make(stream: stream, id: id, legacy: legacy).withUnsafeBytes { k in
                try txn.get(ids, k) { SeqKey.decode($0) }
            } ?? nil
        }
    }

    /// Events whose stored id starts with `prefix` (hex), as (id, seq); at most 10.
    ///
    /// Only the ids events were logged under count, the ones `log` and `show` print: an identity alias
    /// (format 6, see ``Identifier``) is skipped, so an event is found once, under the id it shows, and a
    /// prefix is never ambiguous because of an event's second name. Find an event by its identity id with
    /// ``seq(of:stream:)``.
    ///
    /// Walks the id index (its keys lead with a stream key, not the id): about 50 ms per million events,
    /// which is fine for `show ID`, the only caller.
    public func events(withIDPrefix prefix: String) throws -> [(id: Digest, seq: UInt64)] {
        let lower = prefix.lowercased()
        guard !lower.isEmpty, lower.allSatisfy(\.isHexDigit) else { return [] }
        var found: [(Digest, UInt64)] = []
        try environment.read { txn in
            try txn.scan(ids, from: nil) { key, value in
                guard let id = IDKey.id(key), id.hex.hasPrefix(lower), let seq = SeqKey.decode(value) else {
                    return true
                }
                let stored = try SeqKey.bytes(seq).withUnsafeBytes { k in try txn.get(events, k, EventRecordCodec.id) }
                if stored == id { found.append((id, seq)) }
                return found.count < 10
            }
        }
        return found
    }

    /// Decodes the record stored under `seq`.
    ///
    /// `types` are the codes of the transaction it was read in (``TypeCodes/names(in:)``): a code that is not
    /// among them is damage, not a type added since.
    func decode(_ raw: UnsafeRawBufferPointer, seq: UInt64, _ types: TypeCodes.Names) throws -> RecordedEvent {
        guard let e = EventRecordCodec.decode(raw, seq: seq, types: types) else {
            throw LogError(
                .corrupt, "the event record at seq \(seq) is damaged (cannot decode it)", path: location.logPath)
        }
        return e
    }

    /// ``decode(_:seq:_:)`` for a record read with its key.
    func decode(
        _ raw: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, _ types: TypeCodes.Names
    ) throws -> RecordedEvent {
        guard let seq = SeqKey.decode(key) else {
            throw LogError(.corrupt, "the log holds a malformed key", path: location.logPath)
        }
        return try decode(raw, seq: seq, types)
    }
}
