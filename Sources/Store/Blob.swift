/// An artifact hashed and compressed outside any transaction, ready to be written with its events.
///
/// Preparing is the expensive part (SHA-256 and zstd); doing it before the write transaction keeps the
/// writer lock short and lets callers prepare blobs on several threads.
public struct PreparedBlob: Sendable {
    /// SHA-256 of the raw bytes: the blob's address.
    public let digest: Digest
    public let rawSize: Int
    /// The stored value: codec byte, raw size, then the (compressed) bytes.
    let stored: [UInt8]

    public var storedSize: Int { stored.count }

    /// Hashes and compresses `bytes`; keeps them uncompressed if zstd does not make them smaller.
    public init(_ bytes: UnsafeRawBufferPointer) {
        digest = Digest.sha256(bytes)
        rawSize = bytes.count
        let compressed = Zstd.compress(bytes)
        var out = [UInt8]()
        if compressed.count < bytes.count {
            out.reserveCapacity(BlobFormat.headerSize + compressed.count)
            BlobFormat.appendHeader(.zstd, rawSize: bytes.count, to: &out)
            out.append(contentsOf: compressed)
        } else {
            out.reserveCapacity(BlobFormat.headerSize + bytes.count)
            BlobFormat.appendHeader(.raw, rawSize: bytes.count, to: &out)
            out.append(contentsOf: bytes)
        }
        stored = out
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { PreparedBlob($0) }
    }
}

/// Stored blob layout: `u8 codec, u64 raw size (LE), bytes`.
enum BlobFormat {
    enum Codec: UInt8 {
        case raw = 0
        case zstd = 1
    }

    static let headerSize = 9

    static func appendHeader(_ codec: Codec, rawSize: Int, to out: inout [UInt8]) {
        out.append(codec.rawValue)
        withUnsafeBytes(of: UInt64(rawSize).littleEndian) { out.append(contentsOf: $0) }
    }

    /// The codec and raw size of a stored value; nil when the header is damaged.
    static func header(_ stored: UnsafeRawBufferPointer) -> (Codec, Int)? {
        guard stored.count >= headerSize, let codec = Codec(rawValue: stored[0]) else { return nil }
        let size = UInt64(littleEndian: stored.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        guard size <= UInt64(Int.max) else { return nil }
        return (codec, Int(size))
    }

    /// The raw bytes of a stored value; nil when it cannot be decoded.
    static func decode(_ stored: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let (codec, size) = header(stored) else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: stored[headerSize...])
        switch codec {
        case .raw: return body.count == size ? Array(body) : nil
        case .zstd: return Zstd.decompress(body, expectedSize: size)
        }
    }
}

extension PreparedBlob {
    /// Prepares many blobs on all cores; results are in input order.
    public static func prepareAll(_ inputs: [[UInt8]]) -> [PreparedBlob] {
        ParallelMap.map(inputs) { PreparedBlob($0) }
    }
}
