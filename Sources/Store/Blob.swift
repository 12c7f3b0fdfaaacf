/// An artifact hashed and compressed outside any transaction, ready to be written with its events.
///
/// Preparing is the expensive part (SHA-256 and zstd); doing it before the write transaction keeps the
/// writer lock short and lets callers prepare blobs on several threads.
public struct PreparedBlob: Sendable {
    /// SHA-256 of the raw bytes: the blob's address.
    public let digest: Digest
    public let rawSize: Int
    /// The stored value: codec byte, raw size, then the (compressed) bytes or a slice reference.
    let stored: [UInt8]

    init(digest: Digest, rawSize: Int, stored: [UInt8]) {
        self.digest = digest
        self.rawSize = rawSize
        self.stored = stored
    }

    public var storedSize: Int { stored.count }

    /// Hashes and compresses `bytes`; keeps them uncompressed if zstd does not make them smaller.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.init(bytes, level: Zstd.level)
    }

    init(_ bytes: UnsafeRawBufferPointer, level: Int32) {
        digest = Digest.sha256(bytes)
        rawSize = bytes.count
        // Compressed straight after the header, into room for a quarter of the input first: a .traj takes a
        // thirtieth, and a buffer of zstd's worst-case bound (a little over the input) per file in flight
        // was most of an ingest's memory. Input that does not fit that is compressed again with the bound.
        var out = Zstd.compress(bytes, level: level, after: BlobFormat.headerSize, capacity: bytes.count / 4 + 4096)
        if out == nil { out = Zstd.compress(bytes, level: level, after: BlobFormat.headerSize, capacity: nil) }
        if var out, out.count - BlobFormat.headerSize < bytes.count {
            out.withUnsafeMutableBytes { BlobFormat.writeHeader(.zstd, rawSize: bytes.count, into: $0) }
            // A copy of exactly its size: the batch holding it until commit should not hold the spare room.
            stored = Self.exactCopy(out)
        } else {
            var raw = [UInt8]()
            raw.reserveCapacity(BlobFormat.headerSize + bytes.count)
            BlobFormat.appendHeader(.raw, rawSize: bytes.count, to: &raw)
            raw.append(contentsOf: bytes)
            stored = raw
        }
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { PreparedBlob($0) }
    }

    /// Hashes `bytes` and compresses them against another blob's raw bytes (see ``BlobFormat/Codec/delta``).
    ///
    /// For artifacts derived from or alike another one: an SFT line's text is all in its trajectory, so it
    /// stores in a few hundred bytes where alone it takes a third of its size; a run's trajectories share their
    /// prompts and much of what they read. The reference blob must be in the store (or written earlier in the
    /// same append) for this blob to be readable. When the reference does not help much (the bytes do not
    /// compress to a quarter), they are stored as ``init(_:)`` would store them, if that is smaller.
    public init(_ bytes: [UInt8], against reference: BlobReference) {
        let delta = bytes.withUnsafeBytes { input in
            reference.zstd.compress(input, after: BlobFormat.deltaHeaderSize, capacity: bytes.count / 4 + 4096)
        }
        let plain = delta == nil || delta!.count * 4 > bytes.count ? PreparedBlob(bytes) : nil
        guard var delta, plain.map({ delta.count < $0.stored.count }) ?? true else {
            self = plain!
            return
        }
        delta.withUnsafeMutableBytes { out in
            BlobFormat.writeHeader(.delta, rawSize: bytes.count, into: out)
            reference.digest.withUnsafeBytes {
                out.baseAddress!.advanced(by: BlobFormat.headerSize).copyMemory(from: $0.baseAddress!, byteCount: 32)
            }
            out.storeBytes(
                of: UInt64(reference.offset).littleEndian, toByteOffset: BlobFormat.headerSize + 32, as: UInt64.self)
        }
        // A copy of exactly its size, as in init(_:): the batch holds it until commit.
        self.init(digest: plain?.digest ?? Digest.sha256(bytes), rawSize: bytes.count, stored: Self.exactCopy(delta))
    }

    /// A new array of `bytes`' count, without their spare capacity.
    ///
    /// `Array(bytes[...])` is not one: a slice of the whole array hands its buffer back, spare room and all, so
    /// every SFT line `sft build` held until its one transaction kept the room for a quarter of its text (6 KB
    /// for a line stored in a few hundred bytes), growing with the run.
    static func exactCopy(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { [UInt8]($0) }
    }
}

/// A blob's bytes prepared as a reference for compressing other blobs against (see
/// ``PreparedBlob/init(_:against:)``); use it for many blobs, from any thread. It shares `bytes`, not a copy.
public struct BlobReference: Sendable {
    /// The reference blob's address, written into every blob stored against it.
    public let digest: Digest
    /// Where in the reference blob the bytes compressed against start.
    public let offset: Int
    let zstd: ZstdReference

    /// `bytes` must be the exact bytes of blob `digest`; only those from `offset` on are used, since zstd pays
    /// for every byte of a reference. `largestInput` is the size of the largest blob that will be compressed
    /// against it (larger ones still work, but may not reach the whole reference).
    public init(digest: Digest, bytes: [UInt8], from offset: Int = 0, largestInput: Int) {
        self.digest = digest
        self.offset = min(max(offset, 0), bytes.count)
        zstd = ZstdReference(bytes, from: self.offset, level: Zstd.level, largestInput: largestInput)
    }
}

/// Stored blob layout: `u8 codec, u64 raw size (LE), bytes`.
///
/// For the slice codec the bytes are `[32] pack digest, u64 offset (LE)`: the blob's raw bytes are
/// `raw size` bytes of the pack blob from that offset (see ``PreparedBlobPack``). For the delta codec they
/// are `[32] reference digest, u64 offset (LE), zstd frame`, the frame compressed with the reference blob's raw
/// bytes from that offset as its prefix (see ``PreparedBlob/init(_:against:)``).
enum BlobFormat {
    enum Codec: UInt8 {
        case raw = 0
        case zstd = 1
        case slice = 2
        case delta = 3
    }

    static let headerSize = 9
    static let deltaHeaderSize = headerSize + 32 + 8
    static let sliceSize = headerSize + 32 + 8

    /// Where a slice blob's bytes are.
    struct SliceReference: Sendable {
        var pack: Digest
        var offset: Int
        var size: Int
    }

    static func appendSlice(_ reference: SliceReference, to out: inout [UInt8]) {
        appendHeader(.slice, rawSize: reference.size, to: &out)
        reference.pack.withUnsafeBytes { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(reference.offset).littleEndian) { out.append(contentsOf: $0) }
    }

    /// The reference a slice value holds; nil for other codecs or a damaged value.
    static func sliceReference(_ stored: UnsafeRawBufferPointer) -> SliceReference? {
        guard stored.count == sliceSize, let (codec, size) = header(stored), codec == .slice else { return nil }
        let offset = UInt64(littleEndian: stored.loadUnaligned(fromByteOffset: headerSize + 32, as: UInt64.self))
        guard offset <= UInt64(Int.max - size) else { return nil }
        return SliceReference(
            pack: Digest(raw: UnsafeRawBufferPointer(rebasing: stored[headerSize..<(headerSize + 32)])),
            offset: Int(offset), size: size)
    }

    /// Where a delta value's prefix is.
    struct DeltaReference: Sendable {
        var reference: Digest
        /// Where in the reference's raw bytes the prefix starts.
        var offset: Int
    }

    /// The blob (and offset in it) a delta value was compressed against, and its frame; nil for other codecs or
    /// a damaged value.
    static func deltaReference(_ stored: UnsafeRawBufferPointer) -> (DeltaReference, frame: [UInt8])? {
        deltaView(stored).map { ($0.0, Array($0.frame)) }
    }

    /// As ``deltaReference(_:)``, the frame lent in place (valid as long as `stored`).
    static func deltaView(_ stored: UnsafeRawBufferPointer) -> (DeltaReference, frame: UnsafeRawBufferPointer)? {
        guard stored.count > deltaHeaderSize, let (codec, _) = header(stored), codec == .delta else { return nil }
        let offset = UInt64(littleEndian: stored.loadUnaligned(fromByteOffset: headerSize + 32, as: UInt64.self))
        guard offset <= UInt64(Int.max) else { return nil }
        return (
            DeltaReference(
                reference: Digest(raw: UnsafeRawBufferPointer(rebasing: stored[headerSize..<(headerSize + 32)])),
                offset: Int(offset)),
            UnsafeRawBufferPointer(rebasing: stored[deltaHeaderSize...])
        )
    }

    /// Writes the header into the first `headerSize` bytes of `out`.
    static func writeHeader(_ codec: Codec, rawSize: Int, into out: UnsafeMutableRawBufferPointer) {
        out[0] = codec.rawValue
        out.storeBytes(of: UInt64(rawSize).littleEndian, toByteOffset: 1, as: UInt64.self)
    }

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
        case .slice, .delta: return nil
        }
    }
}

extension PreparedBlob {
    /// Prepares many blobs on all cores; results are in input order.
    public static func prepareAll(_ inputs: [[UInt8]]) -> [PreparedBlob] {
        ParallelMap.map(inputs) { PreparedBlob($0) }
    }
}
