/// SWAR (eight bytes in a `UInt64`) searches used by the string scanner.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// High bit set in each byte of `w` that is `"`, `\` or below 0x20. Only the lowest set bit is exact:
    /// borrows can flag bytes above a true hit, never below.
    @inline(__always)
    static func stringSpecials(_ w: UInt64) -> UInt64 {
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let quoteHit = (quote &- ones) & ~quote
        let backslashHit = (backslash &- ones) & ~backslash
        let controlHit = (w &- ones &* 0x20) & ~w
        return (quoteHit | backslashHit | controlHit) & highBits
    }

    /// High bit set in each byte of `w` equal to `byte`; only the lowest set bit is exact.
    @inline(__always)
    static func matches(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highBits
    }

    @inline(__always)
    static func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
