import CZstd

/// Builds a ``PreparedBlob`` from bytes appended piece by piece, hashing and compressing them as they come, so a
/// large blob (a subset's member list) is never held whole, raw, in memory.
///
/// Up to ``wholeLimit`` bytes are kept and prepared as ``PreparedBlob/init(_:)`` does (same stored value). Past
/// it the bytes go through one zstd stream, the whole blob one frame (no content size recorded, which
/// `ZSTD_decompress` does not need), kept compressed even in the rare case it is not smaller. The digest is
/// the SHA-256 of the raw bytes either way.
public struct PreparedBlobBuilder: ~Copyable {
    /// The bytes kept before streaming starts: 256 KB, so small blobs are stored as before.
    public static let wholeLimit = 256 << 10

    private var pending: [UInt8] = []
    private var hasher = SHA256Hasher()
    private var stream: ZstdStream?
    private var rawSize = 0

    public init() { pending.reserveCapacity(Self.wholeLimit) }

    /// Appends `bytes` to the blob.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        rawSize += bytes.count
        if pending.count + bytes.count > Self.wholeLimit { flush() }
        if bytes.count > Self.wholeLimit {
            feed(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    /// Appends `string`'s UTF-8 bytes.
    public mutating func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends one byte.
    public mutating func append(_ byte: UInt8) {
        withUnsafeBytes(of: byte) { append($0) }
    }

    /// The prepared blob of every byte appended.
    public consuming func finish() -> PreparedBlob {
        guard let stream else { return PreparedBlob(pending) }
        flush()
        let frame = stream.finish()
        var stored = [UInt8]()
        stored.reserveCapacity(BlobFormat.headerSize + frame.count)
        BlobFormat.appendHeader(.zstd, rawSize: rawSize, to: &stored)
        stored.append(contentsOf: frame)
        return PreparedBlob(digest: hasher.finalize(), rawSize: rawSize, stored: stored)
    }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        // Swapped out (not copied) so that its room is reused.
        var bytes: [UInt8] = []
        swap(&bytes, &pending)
        bytes.withUnsafeBytes { feed($0) }
        bytes.removeAll(keepingCapacity: true)
        pending = bytes
    }

    private mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bytes)
        if stream == nil { stream = ZstdStream(level: Zstd.level) }
        stream!.compress(bytes)
    }
}

/// One zstd frame compressed as a stream; the compressed bytes are kept in pieces and joined once at the end.
final class ZstdStream {
    private let cctx: OpaquePointer
    private var pieces: [[UInt8]] = []
    private static let pieceSize = 128 << 10

    /// The window is 1 MB whatever the input's size: a streaming context holds a buffer of its window, and the
    /// blobs streamed (lists of names) repeat what is near.
    init(level: Int32) {
        guard let cctx = ZSTD_createCCtx() else { preconditionFailure("zstd: cannot allocate a context") }
        self.cctx = cctx
        for (parameter, value) in [(ZSTD_c_compressionLevel, level), (ZSTD_c_windowLog, 20)] {
            Zstd.check(ZSTD_CCtx_setParameter(cctx, parameter, value))
        }
    }

    deinit { ZSTD_freeCCtx(cctx) }

    func compress(_ bytes: UnsafeRawBufferPointer) {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size { _ = drain(&input, ZSTD_e_continue) }
    }

    /// Ends the frame; its bytes.
    func finish() -> [UInt8] {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while drain(&input, ZSTD_e_end) != 0 {}
        var out = [UInt8]()
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { out.append(contentsOf: piece) }
        pieces = []
        return out
    }

    /// One call of ZSTD_compressStream2 into a new piece; what it returns (for `ZSTD_e_end`, 0 once done).
    private func drain(_ input: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) -> Int {
        var left = 0
        let piece = [UInt8](unsafeUninitializedCapacity: Self.pieceSize) { buffer, count in
            var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            left = Zstd.check(ZSTD_compressStream2(cctx, &output, &input, mode))
            count = output.pos
        }
        // Kept at its size, not the piece's room.
        if !piece.isEmpty { pieces.append(PreparedBlob.exactCopy(piece)) }
        return left
    }
}

/// A zstd frame decompressed as a stream into a fixed buffer.
final class ZstdStreamDecoder {
    private let dctx: OpaquePointer
    private var buffer: [UInt8]

    init(bufferSize: Int = 64 << 10) {
        guard let dctx = ZSTD_createDCtx() else { preconditionFailure("zstd: cannot allocate a context") }
        self.dctx = dctx
        buffer = [UInt8](repeating: 0, count: bufferSize)
        // As `Zstd.decompress(_:expectedSize:reference:)`: a frame written whole (one segment) declares its whole
        // size as its window, which the one-shot decoders never checked.
        Zstd.check(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Zstd.maxWindowLog))
    }

    deinit { ZSTD_freeDCtx(dctx) }

    /// Calls `body` with each decompressed piece of `frame`, which must be one whole frame; false (at any
    /// point) if it is damaged or truncated. `body` returns false to stop (then true is returned).
    func decode(_ frame: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Bool) rethrows -> Bool {
        guard ZSTD_isError(ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)) == 0 else { return false }
        var input = ZSTD_inBuffer(src: frame.baseAddress, size: frame.count, pos: 0)
        while true {
            var code = 0
            let produced = buffer.withUnsafeMutableBytes { out -> Int in
                var output = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                code = ZSTD_decompressStream(dctx, &output, &input)
                return output.pos
            }
            guard ZSTD_isError(code) == 0 else { return false }
            if produced > 0 {
                let more = try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
                if !more { return true }
            }
            // 0: the frame is decoded and all of it handed out.
            if code == 0 { break }
            // Input all read, output not full, frame not ended: it is truncated.
            if input.pos == input.size && produced < buffer.count { return false }
        }
        return input.pos == input.size
    }
}

extension Zstd {
    /// A zstd call's result, or a stop: with valid arguments only memory exhaustion fails, and nothing else can
    /// be done with bytes that cannot be compressed.
    @discardableResult
    static func check(_ code: Int) -> Int {
        precondition(ZSTD_isError(code) == 0, "zstd: \(String(cString: ZSTD_getErrorName(code)))")
        return code
    }
}

extension EventLog {
    /// Calls `body` with a blob's raw bytes piece by piece, in order, after checking them against its hash;
    /// `body` returns false to stop. `.notFound` or `.corrupt` as ``blob(_:)``.
    ///
    /// A blob stored whole (raw or one zstd frame) is decompressed twice into one small buffer, first to check
    /// its hash and then for `body`: its raw bytes are never held whole (only its stored bytes, copied out of
    /// the read transaction so that `body` may read the log). Others (slices, deltas) are read with
    /// ``blob(_:)`` and handed over in one piece.
    public func forEachBlobPiece(_ digest: Digest, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let stored: [UInt8]?? = try environment.read { txn in
            try storedBlob(txn, digest) { value -> [UInt8]? in
                guard let (codec, _) = BlobFormat.header(value), codec == .raw || codec == .zstd else { return nil }
                return Array(value)
            }
        }
        guard let found = stored else { throw LogError(.notFound, "no blob \(digest.hex) in the store") }
        guard let stored = found else {
            let bytes = try blob(digest)
            _ = try bytes.withUnsafeBytes { try body($0) }
            return
        }
        environment.notePointRead(ScanPageRelease.window + stored.count)
        let damaged = LogError(
            .corrupt, "blob \(digest.hex) is damaged (its bytes no longer hash to its name)", path: location.logPath)
        try stored.withUnsafeBytes { whole in
            guard let (codec, size) = BlobFormat.header(whole) else { throw damaged }
            let payload = UnsafeRawBufferPointer(rebasing: whole[BlobFormat.headerSize...])
            if codec == .raw {
                guard payload.count == size, Digest.sha256(payload) == digest else { throw damaged }
                _ = try body(payload)
                return
            }
            let decoder = ZstdStreamDecoder()
            var hasher = SHA256Hasher()
            var count = 0
            let decoded = decoder.decode(payload) { piece in
                hasher.update(piece)
                count += piece.count
                return count <= size
            }
            guard decoded, count == size, hasher.finalize() == digest else { throw damaged }
            guard try decoder.decode(payload, body) else { throw damaged }
        }
    }
}
