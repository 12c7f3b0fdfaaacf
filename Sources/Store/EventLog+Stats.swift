/// Counts for `smithlog stats`.
public struct StoreStats: Sendable {
    public var events: UInt64 = 0
    /// Event counts per type, sorted by type name.
    public var eventsByType: [(type: String, count: Int)] = []
    public var streams = 0
    public var blobs = 0
    public var blobRawBytes = 0
    public var blobStoredBytes = 0
    /// Size of the LMDB data file on disk.
    public var logFileBytes = 0
}

extension EventLog {
    public func stats() throws -> StoreStats {
        var stats = StoreStats()
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
                return true
            }
        }
        try forEachBlob { _, raw, stored in
            stats.blobs += 1
            stats.blobRawBytes += raw
            stats.blobStoredBytes += stored
        }
        let attrs = try? FileManagerShim.size(of: location.logPath + "/data.mdb")
        stats.logFileBytes = attrs ?? 0
        return stats
    }
}
