import SmithJSON

/// A contiguous run of a batch's events with everything computed that can be computed outside the write
/// transaction: id-index keys and stored records, in one buffer, missing only each record's seq and
/// previous hash, which the transaction writes in.
///
/// One buffer per chunk rather than one array per event: at half a million events a second the
/// allocations alone were a visible share of an append.
struct PreparedChunk: Sendable {
    /// Where one event's parts lie in `arena`.
    struct Entry: Sendable {
        /// The 40-byte id-index key; the record follows it.
        var key: Int
        var recordEnd: Int
        var typeCount: Int
        var streamCount: Int
        var hasBlobs: Bool

        var record: Int { key + IDKey.size }
        /// The type's UTF-8 inside the record.
        var type: Range<Int> { record + EventRecordCodec.typeOffset..<record + EventRecordCodec.typeOffset + typeCount }
        /// The stream's UTF-8 inside the record (after the type and the stream's 4-byte length).
        var stream: Range<Int> { type.upperBound + 4..<type.upperBound + 4 + streamCount }
    }

    /// Index in the batch of the chunk's first event.
    let firstIndex: Int
    var arena: [UInt8]
    let entries: [Entry]
    /// Entry numbers sorted by id key (ties in batch order), so the transaction inserts ids in key order,
    /// on pages it has just visited, and sees repeated ids side by side.
    let keyOrder: [Int32]
    /// The id keys in `keyOrder`, side by side: the transaction reads them in one sequential sweep
    /// instead of picking them out of the arena (memory another core wrote) one cache miss at a time.
    let sortedKeys: [UInt8]
    /// The first event that may not be appended and why, if any: checked here to keep the writer's
    /// thread free of per-event work.
    let invalid: LogError?

    init(_ events: [NewEvent], _ range: Range<Int>, recordedAt: Int64, actor: String) {
        firstIndex = range.lowerBound
        var arena = ArenaPool.shared.take(capacity: range.count * (IDKey.size + 200 + actor.utf8.count))
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        var canonical: [UInt8] = []
        var invalid: LogError?
        // A batch's events mostly come grouped by stream: reuse the stream's id-key prefix.
        var stream = ""
        var streamPrefix: UInt64 = 0
        for i in range {
            let e = events[i]
            if invalid == nil { invalid = Self.check(e) }
            if !Self.sameUTF8(e.stream, stream) {
                stream = e.stream
                streamPrefix = IDKey.prefix(stream: e.stream)
            }
            let key = arena.count
            // Typed buffers: `append(contentsOf:)` copies those with `memcpy`, raw ones a byte at a time.
            withUnsafeBytes(of: (streamPrefix, UInt64(0), UInt64(0), UInt64(0), UInt64(0))) {
                arena.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self))
            }
            canonical.removeAll(keepingCapacity: true)
            var payloadStart = 0
            var canonicalWritten = false
            EventRecordCodec.encode(
                seq: 0, id: .zero, previousHash: .zero, recordedAt: recordedAt, schemaVersion: e.schemaVersion,
                type: e.type, stream: e.stream, actor: actor, blobs: e.blobs, into: &arena
            ) {
                payloadStart = $0.count
                canonicalWritten = PythonJSON.writeCompactAndCanonical(e.payload, compact: &$0, canonical: &canonical)
            }
            let id =
                canonicalWritten
                ? canonical.withUnsafeBytes { EventIdentity.id(type: e.type, stream: e.stream, canonicalPayload: $0) }
                : arena.withUnsafeBytes {
                    EventIdentity.id(
                        type: e.type, stream: e.stream,
                        canonicalPayload: UnsafeRawBufferPointer(rebasing: $0[payloadStart...]))
                }
            arena.withUnsafeMutableBytes { raw in
                id.withUnsafeBytes { id in
                    UnsafeMutableRawBufferPointer(rebasing: raw[(key + 8)..<(key + IDKey.size)]).copyMemory(from: id)
                    UnsafeMutableRawBufferPointer(rebasing: raw[(key + IDKey.size + EventRecordCodec.idOffset)...])
                        .copyMemory(from: id)
                }
            }
            entries.append(
                Entry(
                    key: key, recordEnd: arena.count, typeCount: e.type.utf8.count,
                    streamCount: e.stream.utf8.count, hasBlobs: !e.blobs.isEmpty))
        }
        let keyOrder = Self.sortedByKey(arena, entries)
        self.keyOrder = keyOrder
        sortedKeys = [UInt8](unsafeUninitializedCapacity: keyOrder.count * IDKey.size) { out, initialized in
            arena.withUnsafeBytes { raw in
                for (p, j) in keyOrder.enumerated() {
                    UnsafeMutableRawPointer(out.baseAddress! + p * IDKey.size)
                        .copyMemory(from: raw.baseAddress! + entries[Int(j)].key, byteCount: IDKey.size)
                }
            }
            initialized = keyOrder.count * IDKey.size
        }
        self.arena = arena
        self.entries = entries
        self.invalid = invalid
    }

    private static func check(_ e: NewEvent) -> LogError? {
        var type = e.type
        var stream = e.stream
        let typeOK = type.withUTF8 { !$0.isEmpty && $0.count < 1024 && !$0.contains(0) }
        guard typeOK else { return LogError(.invalidArgument, "bad event type '\(e.type)'") }
        let streamOK = stream.withUTF8 { !$0.isEmpty && !$0.contains(0) }
        guard streamOK else { return LogError(.invalidArgument, "bad stream name '\(e.stream)'") }
        return nil
    }

    /// Entry numbers ordered by id key, ties by entry number.
    ///
    /// Sorted on the first two words (stream prefix and the id's first 8 bytes), which nearly always
    /// decide; runs that tie there (in practice, repeated events) are then ordered by the whole key.
    private static func sortedByKey(_ arena: [UInt8], _ entries: [Entry]) -> [Int32] {
        struct Item {
            var w0: UInt64
            var w1: UInt64
            var entry: Int32
        }
        var items = arena.withUnsafeBytes { raw in
            entries.indices.map { i in
                Item(
                    w0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: entries[i].key, as: UInt64.self)),
                    w1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: entries[i].key + 8, as: UInt64.self)),
                    entry: Int32(i))
            }
        }
        items.sort { a, b in
            a.w0 != b.w0 ? a.w0 < b.w0 : a.w1 != b.w1 ? a.w1 < b.w1 : a.entry < b.entry
        }
        var order = items.map(\.entry)
        var i = 0
        while i < items.count {
            var j = i + 1
            while j < items.count && items[j].w0 == items[i].w0 && items[j].w1 == items[i].w1 { j += 1 }
            if j - i > 1 {
                arena.withUnsafeBytes { raw in
                    order[i..<j].sort { a, b in
                        let x = UnsafeRawBufferPointer(
                            rebasing: raw[entries[Int(a)].key..<entries[Int(a)].key + IDKey.size])
                        let y = UnsafeRawBufferPointer(
                            rebasing: raw[entries[Int(b)].key..<entries[Int(b)].key + IDKey.size])
                        return x.elementsEqual(y) ? a < b : x.lexicographicallyPrecedes(y)
                    }
                }
            }
            i = j
        }
        return order
    }

    /// Byte equality (`==` on strings is canonical equivalence, which would mix up streams).
    private static func sameUTF8(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
    }
}
