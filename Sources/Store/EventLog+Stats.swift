/// Counts for `smithlog stats`.
public struct StoreStats: Sendable {
    public var events: UInt64 = 0
    /// Event counts per type, sorted by type name.
    public var eventsByType: [(type: String, count: Int)] = []
    public var streams = 0
    /// Entries of the blob tables: blobs, packs and the slices of packs.
    public var blobs = 0
    /// Uncompressed bytes: each blob's and pack's once (a slice's bytes are its pack's, counted there); the total
    /// `verify` reports as re-hashed (``VerifyReport/blobBytesChecked``).
    public var blobRawBytes = 0
    /// Bytes as stored (compressed values, and each slice's and delta's reference), without LMDB's own overhead.
    public var blobStoredBytes = 0
    /// Size of the LMDB data file on disk.
    public var logFileBytes = 0
    /// Where the stored bytes go, per event type, sorted by type name (see ``TypeFootprint``).
    public var footprintByType: [TypeFootprint] = []
}

/// The stored bytes one event type accounts for: its records, and the blobs its events were first to refer to.
///
/// A blob belongs to the first event that names it. A pack (``PreparedBlobPack``) belongs to the type of the first
/// event that names one of its slices; its compressed bytes count there, once.
public struct TypeFootprint: Sendable {
    public var type: String
    /// Stored bytes of the event records themselves (envelope and payload, without LMDB's own overhead).
    public var eventBytes = 0
    public var blobs = 0
    public var blobRawBytes = 0
    public var blobStoredBytes = 0
}

extension EventLog {
    public func stats() throws -> StoreStats {
        var stats = StoreStats()
        defer { environment.releaseMappedPagesIfPolicy() }
        var release = ScanPageRelease(environment)
        try environment.read { txn in
            stats.events = try head(txn).seq
            var current: [UInt8] = []
            var count = 0
            try txn.scan(types, from: nil) { key, value in
                let name = Array(PostingList.decodeKey(key)?.name ?? key)
                if name != current {
                    if count > 0 { stats.eventsByType.append((String(decoding: current, as: UTF8.self), count)) }
                    current = name
                    count = 0
                }
                count += PostingList.count(value: value)
                release.touch(value)
                return true
            }
            if count > 0 { stats.eventsByType.append((String(decoding: current, as: UTF8.self), count)) }
            var lastStream: [UInt8]? = nil
            try txn.scan(streams, from: nil) { key, value in
                let name = Array(PostingList.decodeKey(key)?.name ?? key)
                if name != lastStream {
                    stats.streams += 1
                    lastStream = name
                }
                release.touch(value)
                return true
            }
        }
        try forEachBlob { _, raw, stored in
            stats.blobs += 1
            stats.blobRawBytes += raw
            stats.blobStoredBytes += stored
        }
        stats.footprintByType = try footprints()
        let attrs = try? FileManagerShim.size(of: location.logPath + "/data.mdb")
        stats.logFileBytes = attrs ?? 0
        return stats
    }
}

extension EventLog {
    /// See ``TypeFootprint``: one pass over every event, then its blobs in digest order.
    ///
    /// Which event named a blob first is found without a set of the blobs seen (it grew with the store): the
    /// (blob, seq) pairs of every event are sorted by a ``SpillSort``, so the first of each blob's pairs is its
    /// first naming; the blob is then looked up once. A pack goes the same way, through the first naming of any
    /// of its slices.
    func footprints() throws -> [TypeFootprint] {
        var byType: [TypeFootprint] = []
        var typeIndex: [String: Int] = [:]
        defer { environment.releaseMappedPagesIfPolicy() }
        // Each blob looked up maps its own 64 KB.
        var release = ScanPageRelease(environment)
        try environment.read { txn in
            let types = try typeCodes.names(in: txn)
            // [32] blob, [8] seq (big-endian), [4] type index.
            let named = SpillSort(recordSize: 44)
            try txn.scan(events, from: nil) { key, value in
                release.touch(value)
                let event = try self.decode(value, key: key, types)
                let index: Int
                if let known = typeIndex[event.type] {
                    index = known
                } else {
                    index = byType.count
                    typeIndex[event.type] = index
                    byType.append(TypeFootprint(type: event.type))
                }
                byType[index].eventBytes += value.count
                for digest in event.blobs {
                    try named.append { out in
                        digest.withUnsafeBytes { out.copyMemory(from: $0) }
                        out.storeBytes(of: event.seq.bigEndian, toByteOffset: 32, as: UInt64.self)
                        out.storeBytes(of: UInt32(index).bigEndian, toByteOffset: 40, as: UInt32.self)
                    }
                }
                return true
            }
            // Claims, by the first event naming each blob: [32] blob or pack, [8] seq, [1] 0 for the blob itself
            // or 1 for a pack claimed through one of its slices, [4] type index, [8] raw and [8] stored bytes.
            let claims = SpillSort(recordSize: 61)
            try Self.firstOfEach(try named.sorted()) { record in
                release.lookUp()
                let digest = Digest(raw: record)
                guard let (raw, stored, pack) = try storedBlob(txn, digest, Self.blobSizes) else { return }
                let seq = record.loadUnaligned(fromByteOffset: 32, as: UInt64.self)
                let type = record.loadUnaligned(fromByteOffset: 40, as: UInt32.self)
                func claim(_ digest: Digest, pack: Bool, raw: Int, stored: Int) throws(LogError) {
                    try claims.append { out in
                        digest.withUnsafeBytes { out.copyMemory(from: $0) }
                        out.storeBytes(of: seq, toByteOffset: 32, as: UInt64.self)
                        out[40] = pack ? 1 : 0
                        out.storeBytes(of: type, toByteOffset: 41, as: UInt32.self)
                        out.storeBytes(of: UInt64(raw), toByteOffset: 45, as: UInt64.self)
                        out.storeBytes(of: UInt64(stored), toByteOffset: 53, as: UInt64.self)
                    }
                }
                try claim(digest, pack: false, raw: raw, stored: stored)
                if let pack { try claim(pack, pack: true, raw: 0, stored: 0) }
            }
            try Self.firstOfEach(try claims.sorted()) { record in
                let type = Int(UInt32(bigEndian: record.loadUnaligned(fromByteOffset: 41, as: UInt32.self)))
                guard type < byType.count else { return }
                if record[40] == 0 {
                    byType[type].blobs += 1
                    byType[type].blobRawBytes += Int(record.loadUnaligned(fromByteOffset: 45, as: UInt64.self))
                    byType[type].blobStoredBytes += Int(record.loadUnaligned(fromByteOffset: 53, as: UInt64.self))
                } else {
                    release.lookUp()
                    byType[type].blobStoredBytes += try storedBlob(txn, Digest(raw: record)) { $0.count } ?? 0
                }
            }
        }
        return byType.sorted { $0.type < $1.type }
    }

    /// Calls `body` with the first of each run of records sharing their first 32 bytes (a digest).
    private static func firstOfEach(
        _ reader: SpillSort.Reader, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var previous = Digest.zero
        var first = true
        while let record = try reader.next() {
            let digest = Digest(raw: record)
            if !first && digest == previous { continue }
            first = false
            previous = digest
            try body(record)
        }
    }

    /// Raw size, stored size and, for a slice, its pack.
    private static func blobSizes(_ stored: UnsafeRawBufferPointer) -> (Int, Int, Digest?) {
        if let slice = BlobFormat.sliceReference(stored) { return (slice.size, stored.count, slice.pack) }
        return (BlobFormat.header(stored)?.1 ?? 0, stored.count, nil)
    }
}
