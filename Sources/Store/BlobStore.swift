import Synchronization

/// Content-addressed artifacts kept in the log's LMDB environment, next to the events that refer to them.
///
/// Blobs are written through `EventLog.append(_:blobs:)` so an artifact and its events commit together.
extension EventLog {
    /// The exact bytes of a blob, checked against its hash; `.notFound` or `.corrupt` otherwise.
    ///
    /// The store pages read are released now and then (``MemoryPolicy``), counted with the blobs read before.
    public func blob(_ digest: Digest) throws -> [UInt8] {
        let bytes = try environment.read { txn in try blob(txn, digest, depth: 0) }
        // Its stored bytes (no more than its raw ones, but for a slice, whose pack is read) and a window around.
        environment.notePointRead(ScanPageRelease.window + bytes.count)
        return bytes
    }

    /// References followed at most (a slice's pack, a delta's reference, ...): what smithlog writes needs two,
    /// and a damaged store must not send a read round in circles.
    private static let maxReferenceDepth = 4

    /// A blob's exact bytes read within `txn`, following packs and delta references.
    ///
    /// Only the blob asked for (`depth` 0) is checked against its hash. The packs and references read on the
    /// way are not: whatever is taken from them is checked in turn, so a damaged one cannot go unnoticed, and
    /// hashing a megabyte trajectory to read a 40 KB SFT line stored against it would double the read's cost.
    func blob(_ txn: LMDBTransaction, _ digest: Digest, depth: Int) throws -> [UInt8] {
        enum Stored {
            case bytes([UInt8]?)
            case slice(BlobFormat.SliceReference)
            case delta(BlobFormat.DeltaReference, frame: [UInt8], size: Int)
        }
        let found = try storedBlob(txn, digest) { stored -> Stored in
            if let reference = BlobFormat.sliceReference(stored) { return .slice(reference) }
            if let (reference, frame) = BlobFormat.deltaReference(stored), let (_, size) = BlobFormat.header(stored) {
                return .delta(reference, frame: frame, size: size)
            }
            return .bytes(BlobFormat.decode(stored))
        }
        let bytes: [UInt8]?
        switch found {
        case nil: throw LogError(.notFound, "no blob \(digest.hex) in the store")
        case .bytes(let decoded)?: bytes = decoded
        case .slice(let reference)?:
            let pack = try referenced(txn, reference.pack, by: digest, as: "pack", depth: depth)
            bytes =
                reference.offset + reference.size <= pack.count
                ? Array(pack[reference.offset..<(reference.offset + reference.size)]) : nil
        case .delta(let reference, let frame, let size)?:
            let base = try referenced(txn, reference.reference, by: digest, as: "reference blob", depth: depth)
            bytes =
                reference.offset <= base.count
                ? frame.withUnsafeBytes { f in
                    base.withUnsafeBytes {
                        Zstd.decompress(
                            f, expectedSize: size, reference: UnsafeRawBufferPointer(rebasing: $0[reference.offset...]))
                    }
                } : nil
        }
        guard let bytes, depth > 0 || Digest.sha256(bytes) == digest else {
            throw LogError(
                .corrupt, "blob \(digest.hex) is damaged (its bytes no longer hash to its name)",
                path: location.logPath)
        }
        return bytes
    }

    /// The bytes of the blob another one is stored against, not checked (see `blob(_:_:depth:)`); blobs read
    /// lately are kept decoded (see `PackCache`).
    private func referenced(
        _ txn: LMDBTransaction, _ reference: Digest, by digest: Digest, as role: String, depth: Int
    ) throws -> [UInt8] {
        if let cached = PackCache.shared.get(reference) { return cached }
        guard depth < Self.maxReferenceDepth else {
            throw LogError(
                .corrupt, "blob \(digest.hex) refers through more than \(Self.maxReferenceDepth) other blobs",
                path: location.logPath)
        }
        let bytes: [UInt8]
        do {
            bytes = try blob(txn, reference, depth: depth + 1)
        } catch let error as LogError where error.code == .notFound {
            throw LogError(
                .corrupt, "blob \(digest.hex) needs \(role) \(reference.hex), which is missing",
                path: location.logPath)
        }
        PackCache.shared.put(reference, bytes)
        return bytes
    }

    /// Whether the store keeps this blob by reference to another (a slice of a pack, or a delta); false when it
    /// is stored whole or absent. A trajectory ingest checks it before storing a run's trajectories against one,
    /// so that chains stay short: an SFT line, stored against its trajectory whatever that is, is two steps away
    /// from the bytes at most.
    public func isStoredAgainstAnotherBlob(_ digest: Digest) throws -> Bool {
        try environment.read { txn in
            try storedBlob(txn, digest) { BlobFormat.sliceReference($0) != nil || BlobFormat.deltaView($0) != nil }
        } ?? false
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
        defer { environment.releaseMappedPagesIfPolicy() }
        var release = ScanPageRelease(environment)
        try environment.read { txn in
            for table in [blobTable, sliceTable] {
                try txn.scan(table, from: nil) { key, value in
                    release.touchHead(value)
                    let size = BlobFormat.header(value)?.1 ?? -1
                    // A slice's bytes are its pack's, counted there.
                    try body(Digest(raw: key), BlobFormat.sliceReference(value) == nil ? size : 0, value.count)
                    return true
                }
            }
        }
    }
}

/// The packs and delta references read most recently, decoded: reading a dataset's rows (or an SFT dataset's
/// lines) in order then decompresses each pack (or trajectory) once.
///
/// Process-wide and keyed by digest alone. The bytes are not checked against their digest, but nothing is
/// read from the cache without being checked against its own: a damaged entry only makes reads fail.
final class PackCache: Sendable {
    static let shared = PackCache()
    private let entries: Mutex<RecentlyUsed<[UInt8]>>

    /// `capacity`: the entries kept (each a pack or a delta reference, at most 16 MB).
    init(capacity: Int = 4) { entries = Mutex(RecentlyUsed(capacity: capacity)) }

    /// The bytes of `digest`, made the most recently used: a run's first trajectory, which every other one of the
    /// run is stored against, stays while the others come and go.
    func get(_ digest: Digest) -> [UInt8]? {
        entries.withLock { $0.get(digest) }
    }

    func put(_ digest: Digest, _ bytes: [UInt8]) {
        entries.withLock { $0.put(digest, bytes) }
    }
}
