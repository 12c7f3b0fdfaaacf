import SmithJSON

/// A contiguous run of a batch's events with everything computed that can be computed outside the write
/// transaction: id-index keys and stored records, in one buffer, missing only each record's type code and
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
        /// The stream's UTF-8 inside the record.
        var stream: Range<Int>
        /// The event's type in ``PreparedChunk/types``.
        var typeSlot: Int
        var hasBlobs: Bool

        var record: Int { key + IDKey.size }
        /// The id key's ``StreamKey``, which also names the stream in the stream index.
        var streamKey: Range<Int> { key..<key + 8 }
    }

    /// Index in the batch of the chunk's first event.
    let firstIndex: Int
    var arena: [UInt8]
    let entries: [Entry]
    /// The chunk's distinct types, in order of first appearance.
    let types: [String]
    /// The blobs each entry's event names (shared with the events, not copied), checked by the transaction.
    let blobs: [[Digest]]
    /// Entry numbers sorted by id key (ties in batch order), so the transaction inserts ids in key order,
    /// on pages it has just visited, and sees repeated ids side by side.
    let keyOrder: [Int32]
    /// The id keys in `keyOrder`, side by side: the transaction reads them in one sequential sweep
    /// instead of picking them out of the arena (memory another core wrote) one cache miss at a time.
    let sortedKeys: [UInt8]
    /// The first event that may not be appended and why, if any: checked here to keep the writer's
    /// thread free of per-event work.
    let invalid: LogError?

    /// `firstIndex`: the place in the batch of `events[range.lowerBound]` (default: `range.lowerBound`; a
    /// streamed batch hands each chunk its own array).
    init(_ events: [NewEvent], _ range: Range<Int>, firstIndex: Int? = nil, recordedAt: Int64, actor: String) {
        self.firstIndex = firstIndex ?? range.lowerBound
        var arena = ArenaPool.shared.take(capacity: range.count * (IDKey.size + 200 + actor.utf8.count))
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        var canonical: [UInt8] = []
        var invalid: LogError?
        var types: [String] = []
        var typeSlot = -1
        // A batch's events mostly come grouped by stream: the id-key prefix is hashed again only when the
        // stream's bytes differ from the previous event's (compared where they lie in the arena).
        var lastStream = 0..<0
        var streamKey: UInt64 = 0
        for i in range {
            let key = arena.count
            // Typed buffers: `append(contentsOf:)` copies those with `memcpy`, raw ones a byte at a time.
            withUnsafeBytes(of: (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))) {
                arena.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self))
            }
            canonical.removeAll(keepingCapacity: true)
            let givenID = events[i].givenID
            var payloadStart = 0
            var canonicalWritten = false
            let streamStart = EventRecordCodec.encode(
                recordedAt: recordedAt, schemaVersion: events[i].schemaVersion, stream: events[i].stream,
                actor: actor, blobs: events[i].blobs, givenID: givenID != nil, into: &arena
            ) {
                payloadStart = $0.count
                // With a given id the canonical bytes go unused; this writer makes them only for an object whose
                // keys are out of order, and SmithJSON has no public compact-only writer into a buffer.
                canonicalWritten = PythonJSON.writeCompactAndCanonical(
                    events[i].payload, compact: &$0, canonical: &canonical)
            }
            // A chunk's events mostly share their type: compared with the last one's first.
            if typeSlot < 0 || types[typeSlot] != events[i].type {
                typeSlot = types.firstIndex(of: events[i].type) ?? types.count
                if typeSlot == types.count { types.append(events[i].type) }
            }
            let entry = Entry(
                key: key, recordEnd: arena.count, stream: streamStart..<streamStart + events[i].stream.utf8.count,
                typeSlot: typeSlot, hasBlobs: !events[i].blobs.isEmpty)
            var typeName = events[i].type
            typeName.withUTF8 { typeUTF8 in
                arena.withUnsafeMutableBytes { raw in
                    let type = UnsafeRawBufferPointer(typeUTF8)
                    let stream = UnsafeRawBufferPointer(rebasing: raw[entry.stream])
                    if invalid == nil {
                        invalid = Self.check(type, stream, type: events[i].type, stream: events[i].stream)
                    }
                    if !bytesEqual(stream, UnsafeRawBufferPointer(rebasing: raw[lastStream])) {
                        streamKey = StreamKey.word(streamUTF8: stream)
                    }
                    lastStream = entry.stream
                    raw.storeBytes(of: streamKey, toByteOffset: key, as: UInt64.self)
                    let id =
                        givenID
                        ?? (canonicalWritten
                            ? canonical.withUnsafeBytes {
                                EventIdentity.id(typeUTF8: type, streamUTF8: stream, canonicalPayload: $0)
                            }
                            : EventIdentity.id(
                                typeUTF8: type, streamUTF8: stream,
                                canonicalPayload: UnsafeRawBufferPointer(rebasing: raw[payloadStart..<entry.recordEnd])))
                    Self.place(id, in: raw, key: key, record: entry.record)
                }
            }
            entries.append(entry)
        }
        (keyOrder, sortedKeys) = Self.keys(arena, entries)
        self.arena = arena
        self.entries = entries
        self.types = types
        self.invalid = invalid
        blobs = range.map { events[$0].blobs }
    }

    /// Events pulled from another store (``PulledEvent``): their records are written as their origin recorded
    /// them (id, time, actor, payload bytes), with their origin.
    init(pulled events: [PulledEvent], _ range: Range<Int>) {
        firstIndex = range.lowerBound
        var arena: [UInt8] = []
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        var invalid: LogError?
        var types: [String] = []
        for i in range {
            let e = events[i]
            let key = arena.count
            arena.append(contentsOf: repeatElement(0, count: IDKey.size))
            let streamStart = EventRecordCodec.encode(
                recordedAt: e.recordedAt, schemaVersion: e.schemaVersion, stream: e.stream, actor: e.actor,
                blobs: e.blobs, givenID: e.givenID, origin: e.origin, into: &arena
            ) { $0.append(contentsOf: e.payloadBytes) }
            let typeSlot = types.firstIndex(of: e.type) ?? types.count
            if typeSlot == types.count { types.append(e.type) }
            let entry = Entry(
                key: key, recordEnd: arena.count, stream: streamStart..<streamStart + e.stream.utf8.count,
                typeSlot: typeSlot, hasBlobs: !e.blobs.isEmpty)
            var typeName = e.type
            typeName.withUTF8 { typeUTF8 in
                arena.withUnsafeMutableBytes { raw in
                    let stream = UnsafeRawBufferPointer(rebasing: raw[entry.stream])
                    if invalid == nil {
                        invalid = Self.check(UnsafeRawBufferPointer(typeUTF8), stream, type: e.type, stream: e.stream)
                    }
                    raw.storeBytes(of: StreamKey.word(streamUTF8: stream), toByteOffset: key, as: UInt64.self)
                    Self.place(e.id, in: raw, key: key, record: entry.record)
                }
            }
            entries.append(entry)
        }
        (keyOrder, sortedKeys) = Self.keys(arena, entries)
        self.arena = arena
        self.entries = entries
        self.types = types
        self.invalid = invalid
        blobs = range.map { events[$0].blobs }
    }

    /// Writes an event's id into its key (after the stream word) and into its record's id field.
    private static func place(_ id: Digest, in raw: UnsafeMutableRawBufferPointer, key: Int, record: Int) {
        id.withUnsafeBytes { id in
            UnsafeMutableRawBufferPointer(rebasing: raw[(key + 8)..<(key + IDKey.size)]).copyMemory(from: id)
            UnsafeMutableRawBufferPointer(rebasing: raw[(record + EventRecordCodec.idOffset)...]).copyMemory(from: id)
        }
    }

    /// ``keyOrder`` and ``sortedKeys`` of a chunk.
    private static func keys(_ arena: [UInt8], _ entries: [Entry]) -> ([Int32], [UInt8]) {
        let keyOrder = Self.sortedByKey(arena, entries)
        let sortedKeys = [UInt8](unsafeUninitializedCapacity: keyOrder.count * IDKey.size) { out, initialized in
            arena.withUnsafeBytes { raw in
                for (p, j) in keyOrder.enumerated() {
                    UnsafeMutableRawPointer(out.baseAddress! + p * IDKey.size)
                        .copyMemory(from: raw.baseAddress! + entries[Int(j)].key, byteCount: IDKey.size)
                }
            }
            initialized = keyOrder.count * IDKey.size
        }
        return (keyOrder, sortedKeys)
    }

    /// Why `e` may not be appended, judged on its type's and stream's UTF-8 as encoded in the record.
    private static func check(
        _ typeUTF8: UnsafeRawBufferPointer, _ streamUTF8: UnsafeRawBufferPointer, type: String, stream: String
    )
        -> LogError?
    {
        guard !typeUTF8.isEmpty && typeUTF8.count < 1024 && !typeUTF8.contains(0) else {
            return LogError(.invalidArgument, "bad event type '\(type)'")
        }
        guard !streamUTF8.isEmpty && !streamUTF8.contains(0) else {
            return LogError(.invalidArgument, "bad stream name '\(stream)'")
        }
        return nil
    }

    /// Entry numbers ordered by id key, ties by entry number.
    ///
    /// Sorted as single words: the stream key's rank among the chunk's keys (a chunk holds a few
    /// streams), the top 40 bits of the id, then the entry number: sorting structs compared field by field
    /// took 8% of a chunk's preparation. Runs that tie on rank and id bits (in practice, repeated events) are
    /// then ordered by the whole key.
    private static func sortedByKey(_ arena: [UInt8], _ entries: [Entry]) -> [Int32] {
        arena.withUnsafeBytes { raw in
            func word(_ entry: Int, _ w: Int) -> UInt64 {
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: entries[entry].key + 8 * w, as: UInt64.self))
            }
            var prefixes: [UInt64] = []
            var last: UInt64?
            for i in entries.indices where word(i, 0) != last {
                last = word(i, 0)
                if !prefixes.contains(last!) { prefixes.append(last!) }
                if prefixes.count > 255 { return sortedByFullKey(raw, entries) }
            }
            guard entries.count <= 1 << 16 else { return sortedByFullKey(raw, entries) }
            prefixes.sort()
            var rank = 0
            var packed = [UInt64](unsafeUninitializedCapacity: entries.count) { out, initialized in
                for i in entries.indices {
                    let w0 = word(i, 0)
                    if prefixes[rank] != w0 { rank = prefixes.firstIndex(of: w0)! }
                    out[i] = UInt64(rank) << 56 | (word(i, 1) >> 24) << 16 | UInt64(i)
                }
                initialized = entries.count
            }
            packed.sort()
            var order = packed.map { Int32(truncatingIfNeeded: $0 & 0xffff) }
            var i = 0
            while i < packed.count {
                var j = i + 1
                while j < packed.count && packed[j] >> 16 == packed[i] >> 16 { j += 1 }
                if j - i > 1 { sortByFullKey(&order[i..<j], raw, entries) }
                i = j
            }
            return order
        }
    }

    /// Entry numbers ordered by whole key, ties by entry number: for chunks too varied to pack.
    private static func sortedByFullKey(_ raw: UnsafeRawBufferPointer, _ entries: [Entry]) -> [Int32] {
        var order = entries.indices.map { Int32($0) }
        sortByFullKey(&order[...], raw, entries)
        return order
    }

    private static func sortByFullKey(
        _ order: inout ArraySlice<Int32>, _ raw: UnsafeRawBufferPointer, _ entries: [Entry]
    ) {
        order.sort { a, b in
            let x = UnsafeRawBufferPointer(rebasing: raw[entries[Int(a)].key..<entries[Int(a)].key + IDKey.size])
            let y = UnsafeRawBufferPointer(rebasing: raw[entries[Int(b)].key..<entries[Int(b)].key + IDKey.size])
            return x.elementsEqual(y) ? a < b : x.lexicographicallyPrecedes(y)
        }
    }
}
