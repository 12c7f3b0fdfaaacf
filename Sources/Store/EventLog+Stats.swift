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
        // Index entries are posting lists of up to a few KB each.
        var release = ScanPageRelease(environment, every: ScanPageRelease.blobInterval)
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
                release.step()
                return true
            }
            if count > 0 { stats.eventsByType.append((String(decoding: current, as: UTF8.self), count)) }
            var lastStream: [UInt8]? = nil
            try txn.scan(streams, from: nil) { key, _ in
                let name = Array(PostingList.decodeKey(key)?.name ?? key)
                if name != lastStream {
                    stats.streams += 1
                    lastStream = name
                }
                release.step()
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
    /// One pass over every event, looking up each blob once; see ``TypeFootprint``.
    func footprints() throws -> [TypeFootprint] {
        var byType: [String: TypeFootprint] = [:]
        var seen = Set<Digest>()
        defer { environment.releaseMappedPagesIfPolicy() }
        // Each event's blobs are looked up (their pages mapped): release as often as a scan of blobs does.
        var release = ScanPageRelease(environment, every: ScanPageRelease.blobInterval)
        try environment.read { txn in
            let types = try typeCodes.names(in: txn)
            try txn.scan(events, from: nil) { key, value in
                release.step()
                let event = try self.decode(value, key: key, types)
                var footprint = byType[event.type] ?? TypeFootprint(type: event.type)
                footprint.eventBytes += value.count
                for digest in event.blobs where seen.insert(digest).inserted {
                    guard let (raw, stored, pack) = try storedBlob(txn, digest, Self.blobSizes) else { continue }
                    footprint.blobs += 1
                    footprint.blobRawBytes += raw
                    footprint.blobStoredBytes += stored
                    if let pack, seen.insert(pack).inserted {
                        footprint.blobStoredBytes += try storedBlob(txn, pack) { $0.count } ?? 0
                    }
                }
                byType[event.type] = footprint
                return true
            }
        }
        return byType.values.sorted { $0.type < $1.type }
    }

    /// Raw size, stored size and, for a slice, its pack.
    private static func blobSizes(_ stored: UnsafeRawBufferPointer) -> (Int, Int, Digest?) {
        if let slice = BlobFormat.sliceReference(stored) { return (slice.size, stored.count, slice.pack) }
        return (BlobFormat.header(stored)?.1 ?? 0, stored.count, nil)
    }
}
