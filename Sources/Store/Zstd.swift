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
        var out = [UInt8](repeating: 0, count: prefix + room)
        let written = out.withUnsafeMutableBytes { o in
            ZSTD_compress(o.baseAddress! + prefix, room, input.baseAddress, input.count, level)
        }
        if ZSTD_isError(written) != 0 {
            // With the bound as room only memory exhaustion fails; a smaller room may simply be too small.
            precondition(capacity != nil, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
            return nil
        }
        out.removeSubrange((prefix + written)...)
        return out
    }

    /// Decompresses one frame whose content size is `expectedSize`; nil if the frame is damaged.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: expectedSize)
        let n = out.withUnsafeMutableBytes { o in
            ZSTD_decompress(o.baseAddress, expectedSize, input.baseAddress, input.count)
        }
        guard ZSTD_isError(n) == 0, n == expectedSize else { return nil }
        return out
    }
}
