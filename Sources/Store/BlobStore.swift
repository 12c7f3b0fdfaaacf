import Synchronization

/// Content-addressed artifacts kept in the log's LMDB environment, next to the events that refer to them.
///
/// Blobs are written through `EventLog.append(_:blobs:)` so an artifact and its events commit together.
extension EventLog {
    /// The exact bytes of a blob, checked against its hash; `.notFound` or `.corrupt` otherwise.
    public func blob(_ digest: Digest) throws -> [UInt8] {
        enum Stored {
            case bytes([UInt8]?)
            case slice(BlobFormat.SliceReference)
        }
        let found = try environment.read { txn in
            try storedBlob(txn, digest) { stored -> Stored in
                BlobFormat.sliceReference(stored).map(Stored.slice) ?? .bytes(BlobFormat.decode(stored))
            }
        }
        let bytes: [UInt8]?
        switch found {
        case nil: throw LogError(.notFound, "no blob \(digest.hex) in the store")
        case .bytes(let decoded)?: bytes = decoded
        case .slice(let reference)?: bytes = try slice(reference, of: digest)
        }
        guard let bytes, Digest.sha256(bytes) == digest else {
            throw LogError(
                .corrupt, "blob \(digest.hex) is damaged (its bytes no longer hash to its name)",
                path: location.logPath)
        }
        return bytes
    }

    /// A slice's bytes from its pack (nil when the pack is too short); packs read lately are kept decoded.
    private func slice(_ reference: BlobFormat.SliceReference, of digest: Digest) throws -> [UInt8]? {
        let pack: [UInt8]
        if let cached = PackCache.shared.get(reference.pack) {
            pack = cached
        } else {
            do {
                pack = try blob(reference.pack)
            } catch let error as LogError where error.code == .notFound {
                throw LogError(
                    .corrupt, "blob \(digest.hex) is kept in pack \(reference.pack.hex), which is missing",
                    path: location.logPath)
            }
            PackCache.shared.put(reference.pack, pack)
        }
        guard reference.offset + reference.size <= pack.count else { return nil }
        return Array(pack[reference.offset..<(reference.offset + reference.size)])
    }

    /// The blob as stored (header and compressed bytes); for tests that damage a store on purpose.
    public func storedBlobBytes(_ digest: Digest) throws -> [UInt8]? {
        try environment.read { txn in try storedBlob(txn, digest) { Array($0) } }
    }

    /// Calls `body` with each blob's digest, raw size and stored size: whole blobs in digest order, then
    /// slices in digest order.
    ///
    /// A slice of a pack (``PreparedBlobPack``) reports a raw size of 0: its bytes are counted in the pack.
    public func forEachBlob(_ body: (Digest, _ rawSize: Int, _ storedSize: Int) throws -> Void) throws {
        try environment.read { txn in
            for table in [blobTable, sliceTable] {
                try txn.scan(table, from: nil) { key, value in
                    let size = BlobFormat.header(value)?.1 ?? -1
                    // A slice's bytes are its pack's, counted there.
                    try body(Digest(raw: key), BlobFormat.sliceReference(value) == nil ? size : 0, value.count)
                    return true
                }
            }
        }
    }
}

/// The packs read most recently, decoded: reading a dataset's rows in order then decompresses each pack once.
///
/// Process-wide and keyed by digest alone, which is safe because a pack's bytes are checked against its
/// digest before they are cached.
final class PackCache: Sendable {
    static let shared = PackCache()
    private static let capacity = 4
    private let entries = Mutex<[(Digest, [UInt8])]>([])

    func get(_ digest: Digest) -> [UInt8]? {
        entries.withLock { list in list.first { $0.0 == digest }?.1 }
    }

    func put(_ digest: Digest, _ bytes: [UInt8]) {
        entries.withLock { list in
            list.removeAll { $0.0 == digest }
            list.insert((digest, bytes), at: 0)
            if list.count > Self.capacity { list.removeLast() }
        }
    }
}
