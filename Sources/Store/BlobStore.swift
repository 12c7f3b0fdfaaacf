/// Content-addressed artifacts kept in the log's LMDB environment, next to the events that refer to them.
///
/// Blobs are written through `EventLog.append(_:blobs:)` so an artifact and its events commit together.
extension EventLog {
    /// The exact bytes of a blob, checked against its hash; `.notFound` or `.corrupt` otherwise.
    public func blob(_ digest: Digest) throws -> [UInt8] {
        let raw = try environment.read { txn in
            try digest.withUnsafeBytes { k in
                try txn.get(blobTable, k) { stored -> [UInt8]? in BlobFormat.decode(stored) }
            }
        }
        guard let found = raw else { throw LogError(.notFound, "no blob \(digest.hex) in the store") }
        guard let bytes = found, Digest.sha256(bytes) == digest else {
            throw LogError(
                .corrupt, "blob \(digest.hex) is damaged (its bytes no longer hash to its name)",
                path: location.logPath)
        }
        return bytes
    }

    /// Whether a blob is stored.
    public func hasBlob(_ digest: Digest) throws -> Bool {
        try environment.read { txn in
            try digest.withUnsafeBytes { k in try txn.get(blobTable, k) { _ in true } } ?? false
        }
    }

    /// The blob as stored (header and compressed bytes); for tests that damage a store on purpose.
    public func storedBlobBytes(_ digest: Digest) throws -> [UInt8]? {
        try environment.read { txn in try digest.withUnsafeBytes { k in try txn.get(blobTable, k) { Array($0) } } }
    }

    /// Calls `body` with each blob's digest, raw size and stored size, in digest order.
    public func forEachBlob(_ body: (Digest, _ rawSize: Int, _ storedSize: Int) throws -> Void) throws {
        try environment.read { txn in
            try txn.scan(blobTable, from: nil) { key, value in
                let size = BlobFormat.header(value)?.1 ?? -1
                try body(Digest(raw: key), size, value.count)
                return true
            }
        }
    }
}
