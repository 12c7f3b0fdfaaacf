import CZstd

/// zstd compression of blobs, one frame per blob with the content size recorded.
enum Zstd {
    /// Level 3 is zstd's default: .traj files (text repeated step after step) compress 40-60x at it.
    static let level: Int32 = 3

    /// Packs of small artifacts (``PreparedBlobPack``) are written once and read rarely: level 9 makes a
    /// SWE-smith dataset's packs a quarter smaller than level 3 for about four times the CPU.
    static let packLevel: Int32 = 9

    /// Compresses `input` into a new array after `prefix` zeroed bytes, with room for at most `capacity`
    /// compressed bytes (nil: zstd's worst-case bound, which always fits); nil when it did not fit.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32, after prefix: Int, capacity: Int?) -> [UInt8]? {
        let room = min(capacity ?? Int.max, ZSTD_compressBound(input.count))
        let (out, code) = output(prefix: prefix, room: room) { dst in
            guard input.count > longInput else {
                return ZSTD_compress(dst, room, input.baseAddress, input.count, level)
            }
            // Past a few MB the level's window (4 MB at 9) no longer spans the input: a 16 MB dataset pack
            // repeats a repository's test lists across it. A whole-input window and zstd's long-distance matcher
            // store such a pack 10% smaller, and faster, than four packs of 4 MB.
            guard let cctx = ZSTD_createCCtx() else { return -64 }  // zstd's memory_allocation error
            defer { ZSTD_freeCCtx(cctx) }
            for (parameter, value) in [
                (ZSTD_c_compressionLevel, level),
                (ZSTD_c_windowLog, windowLog(covering: input.count, max: plainMaxWindowLog)),
                (ZSTD_c_enableLongDistanceMatching, 1),
            ] {
                let rc = ZSTD_CCtx_setParameter(cctx, parameter, value)
                if ZSTD_isError(rc) != 0 { return rc }
            }
            return ZSTD_compress2(cctx, dst, room, input.baseAddress, input.count)
        }
        // With the bound as room only memory exhaustion fails; a smaller room may simply be too small.
        precondition(out != nil || capacity != nil, "zstd: \(String(cString: ZSTD_getErrorName(code)))")
        return out
    }

    /// A new array of `prefix` zeroed bytes and what `compress` writes after them into room for `room` bytes
    /// (it returns the count written or a zstd error code); nil and the code on error.
    ///
    /// The room is allocated but never initialised: a large allocation's pages stay untouched, so room for a
    /// quarter of a 5 MB trajectory costs only the pages the 100 KB of output fill.
    static func output(
        prefix: Int, room: Int, _ compress: (UnsafeMutableRawPointer) -> Int
    ) -> ([UInt8]?, Int) {
        var code = 0
        let out = [UInt8](unsafeUninitializedCapacity: prefix + room) { buffer, count in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: prefix)
            code = compress(base + prefix)
            count = ZSTD_isError(code) == 0 ? prefix + code : 0
        }
        guard ZSTD_isError(code) == 0 else { return (nil, code) }
        // The array keeps its full capacity; callers copy it to its size before holding it for long.
        return (out, code)
    }

    /// Decompresses one frame whose content size is `expectedSize`; nil if the frame is damaged.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) -> [UInt8]? {
        // Not zeroed first: zstd writes every byte, and zeroing a 16 MB pack cost as much as decoding it.
        var n = 0
        let out = [UInt8](unsafeUninitializedCapacity: expectedSize) { o, count in
            n = ZSTD_decompress(o.baseAddress, expectedSize, input.baseAddress, input.count)
            count = ZSTD_isError(n) == 0 && n == expectedSize ? n : 0
        }
        guard ZSTD_isError(n) == 0, n == expectedSize else { return nil }
        return out
    }

    /// Decompresses a frame made with a ``ZstdReference`` of the same bytes; nil if the frame is damaged or does
    /// not decode to `expectedSize` bytes.
    static func decompress(
        _ input: UnsafeRawBufferPointer, expectedSize: Int, reference: UnsafeRawBufferPointer
    ) -> [UInt8]? {
        guard let dctx = ZSTD_createDCtx() else { return nil }
        defer { ZSTD_freeDCtx(dctx) }
        guard ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, maxWindowLog)) == 0,
            ZSTD_isError(ZSTD_DCtx_refPrefix(dctx, reference.baseAddress, reference.count)) == 0
        else { return nil }
        var n = 0
        let out = [UInt8](unsafeUninitializedCapacity: expectedSize) { o, count in
            n = ZSTD_decompressDCtx(dctx, o.baseAddress, expectedSize, input.baseAddress, input.count)
            count = ZSTD_isError(n) == 0 && n == expectedSize ? n : 0
        }
        guard ZSTD_isError(n) == 0, n == expectedSize else { return nil }
        return out
    }

    /// 1 GB: the largest window a reference frame may use (zstd's own limit on 64-bit is 2 GB).
    static let maxWindowLog: Int32 = 30

    /// 128 MB: the largest window `decompress(_:expectedSize:)` accepts without being told (zstd's default).
    static let plainMaxWindowLog: Int32 = 27

    /// Inputs larger than this get a window spanning them and long-distance matching.
    static let longInput = 4 << 20

    /// Whether `frame` is a zstd frame carrying a checksum of its content (RFC 8878: bit 2 of the frame header
    /// descriptor, after the 4-byte magic number), which zstd checks the decoded bytes against as it decodes.
    static func hasContentChecksum(_ frame: UnsafeRawBufferPointer) -> Bool {
        frame.count > 4 && frame.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0xFD2F_B528)
            && frame[4] & 0x04 != 0
    }

    /// The smallest window (at least zstd's 1 MB floor for level 3) that spans `bytes`, up to `max`.
    static func windowLog(covering bytes: Int, max: Int32 = maxWindowLog) -> Int32 {
        var log: Int32 = 20
        while log < max && (1 << log) < bytes { log += 1 }
        return log
    }
}

/// Bytes that inputs are compressed against as zstd's "prefix": as if they came just before each input.
///
/// Each frame carries a checksum of its content (4 bytes): decoding it against the wrong or a damaged reference
/// then fails, so that a push can send a delta rebuilt this way without hashing it again (see
/// ``PortableBlobReader``).
///
/// A CDict (the reference indexed once, then reused) was tried for chunks of trajectories: it stored them 12%
/// larger than indexing the prefix again for each input, and saved little time. Safe to use from several
/// threads at once: each compression has its own context and only reads the bytes.
final class ZstdReference: Sendable {
    private let bytes: [UInt8]
    private let offset: Int
    private let level: Int32
    private let windowLog: Int32

    /// `bytes` from `offset` on, for inputs of up to `largestInput` bytes: the window spans the reference and
    /// the input, so an input can copy from anywhere in the reference.
    init(_ bytes: [UInt8], from offset: Int, level: Int32, largestInput: Int) {
        self.bytes = bytes
        self.offset = offset
        self.level = level
        windowLog = Zstd.windowLog(covering: bytes.count - offset + largestInput)
    }

    /// Compresses `input` into a new array after `prefix` zeroed bytes; nil when it does not fit in `capacity`.
    func compress(_ input: UnsafeRawBufferPointer, after prefix: Int, capacity: Int) -> [UInt8]? {
        guard let cctx = ZSTD_createCCtx() else { return nil }
        defer { ZSTD_freeCCtx(cctx) }
        let room = min(capacity, ZSTD_compressBound(input.count))
        return bytes.withUnsafeBytes { whole -> [UInt8]? in
            let reference = UnsafeRawBufferPointer(rebasing: whole[offset...])
            guard ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)) == 0,
                ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, windowLog)) == 0,
                ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)) == 0,
                ZSTD_isError(ZSTD_CCtx_refPrefix(cctx, reference.baseAddress, reference.count)) == 0
            else { return nil }
            return Zstd.output(prefix: prefix, room: room) { dst in
                ZSTD_compress2(cctx, dst, room, input.baseAddress, input.count)
            }.0
        }
    }
}
