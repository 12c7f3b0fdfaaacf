import CLMDB

/// Bringing a store written by an older smithlog to the current format. No event is ever rewritten: only the
/// indexes change.
extension EventLog {
    /// Brings an older store to the current format in one write transaction (all or nothing), re-reading
    /// the format inside it: another process may have upgraded the store meanwhile. Formats 3 and 4 go to 5
    /// (indexes rekeyed), then 5 to 6 (identity aliases), in the same transaction.
    func upgrade(_ identifier: Identifier) throws(LogError) {
        try typed {
            try environment.write { txn in
                let version = try formatVersion(txn) ?? Self.formatVersion
                guard version != Self.formatVersion else { return }
                if version < Self.streamKeyFormat {
                    try rekeyStreamIndex(txn)
                    try rekeyIDIndex(txn)
                }
                if version < Self.aliasFormat { try addIdentityAliases(txn, identifier) }
                try writeFormatVersion(txn, replacing: true)
            }
        }
    }

    /// Files every event whose identity id (from `identifier`) differs from its stored id also under that
    /// identity in the id index: its stream key and the identity id → its seq, as an appended event's entry.
    ///
    /// An entry already there is kept (a stored id, or an earlier event's alias: when two events are one fact
    /// recorded twice in different payload versions, the identity finds the first, as a re-append would have).
    /// The ids of a format 5 store are keyed by format 5 stream keys, as are those of an older one rekeyed
    /// in the same transaction.
    private func addIdentityAliases(_ txn: LMDBTransaction, _ identifier: Identifier) throws {
        let types = try typeCodes.load(txn)
        // Collected first and inserted in key order: entries land on the pages just visited, not one page
        // each all over the index.
        var keys: [UInt8] = []
        var seqs: [UInt64] = []
        try txn.scan(events, from: nil) { key, value in
            let e = try decode(value, key: key, types)
            guard let identity = try self.identity(of: e, identifier), identity != e.id else { return true }
            keys.append(contentsOf: IDKey.make(stream: e.stream, id: identity))
            seqs.append(e.seq)
            return true
        }
        var order = Array(seqs.indices)
        try keys.withUnsafeBytes { raw in
            func key(_ i: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: raw[(i * IDKey.size)..<((i + 1) * IDKey.size)])
            }
            // Ties in seq order, so that the first event of an identity is the one it finds.
            order.sort { a, b in key(a).elementsEqual(key(b)) ? a < b : key(a).lexicographicallyPrecedes(key(b)) }
            try txn.withCursor(ids) { cursor in
                for i in order {
                    try withUnsafeBytes(of: seqs[i].bigEndian) { v in _ = try cursor.put(key(i), v, noOverwrite: true) }
                }
            }
        }
    }

    /// `identifier(e)`; an error other than a ``LogError`` is reported as the caller's, naming the event.
    private func identity(of e: RecordedEvent, _ identifier: Identifier) throws -> Digest? {
        do {
            return try identifier(e)
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError(
                .invalidArgument,
                "event \(e.seq) (\(e.type), \(e.stream)): its identity cannot be computed: \(error)",
                path: location.logPath)
        }
    }

    /// Rewrites the stream index of a store older than format 5 under ``StreamKey``s.
    ///
    /// A seq belongs to one stream, so no two entries end up with the same name and first seq.
    private func rekeyStreamIndex(_ txn: LMDBTransaction) throws {
        try rekey(txn, streams, what: "stream") { key, _ in
            guard let (name, firstSeq) = PostingList.decodeKey(key) else { return nil }
            return StreamKey.bytes(streamUTF8: name).withUnsafeBytes { PostingList.key($0, firstSeq: firstSeq) }
        }
    }

    /// Rewrites the id index of a store older than format 5 with format 5 ``StreamKey``s, each found in the
    /// record its entry points to.
    private func rekeyIDIndex(_ txn: LMDBTransaction) throws {
        let noTypes = TypeCodes.Names()  // older formats' records name their types
        try rekey(txn, ids, what: "id") { key, value in
            guard key.count == IDKey.size, let seq = SeqKey.decode(value),
                let stream = try SeqKey.bytes(seq).withUnsafeBytes({ k in
                    try txn.get(events, k) { EventRecordCodec.decode($0, seq: seq, types: noTypes)?.stream }
                }) ?? nil
            else { return nil }
            return withUnsafeBytes(of: StreamKey.word(stream: stream)) { Array($0) } + Array(key[8...])
        }
    }

    /// Replaces every key of `table` with `newKey(key, value)` (nil: the entry is damaged), values kept.
    private func rekey(
        _ txn: LMDBTransaction, _ table: MDB_dbi, what: String,
        _ newKey: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> [UInt8]?
    ) throws {
        var entries: [(key: [UInt8], value: [UInt8])] = []
        try txn.scan(table, from: nil) { key, value in
            guard let rekeyed = try newKey(key, value) else {
                throw LogError(.corrupt, "the \(what) index holds a damaged entry", path: location.logPath)
            }
            entries.append((rekeyed, Array(value)))
            return true
        }
        try txn.empty(table)
        entries.sort { $0.key.lexicographicallyPrecedes($1.key) }
        for entry in entries {
            try entry.key.withUnsafeBytes { k in
                try entry.value.withUnsafeBytes { v in
                    guard try txn.put(table, k, v, noOverwrite: true) else {
                        throw LogError(.corrupt, "the \(what) index holds an entry twice", path: location.logPath)
                    }
                }
            }
        }
    }
}
