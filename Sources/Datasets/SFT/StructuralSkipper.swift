#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Moves over JSON text that is already known to be valid, looking only at its structure.
///
/// In valid JSON a quote is a string delimiter exactly when an even number of backslashes
/// precede it, and brackets count only outside strings; so strings are crossed by searching for
/// quotes, containers by counting brackets, several bytes at a time. Nothing is validated, so on
/// invalid JSON the positions it reports mean nothing: it is for bytes a validating reader has
/// accepted before (see ``SFTValidation/stepsOnly``).
struct StructuralSkipper {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Offset of the next unread byte.
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        // An empty buffer may have no base address; any pointer does, as nothing is read.
        base = (bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: UInt8.self)
        count = bytes.count
        self.offset = offset
    }

    /// The byte at `offset` after white space, without consuming it; nil at the end.
    mutating func peek() -> UInt8? {
        while offset < count {
            let b = base[offset]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            offset &+= 1
        }
        return nil
    }

    /// Consumes `byte` (after white space) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset &+= 1
        return true
    }

    /// Skips the string whose opening quote is at `offset`; returns the range of its content.
    mutating func skipString() -> Range<Int>? {
        let start = offset &+ 1
        var i = start
        while true {
            // Keys and short values end within a few words; long texts go to the vectorised memchr.
            var words = 0
            while i &+ 8 <= count && words < 4 {
                if Self.matches(load(i), 0x22) != 0 { break }
                i &+= 8
                words &+= 1
            }
            if words == 4 {
                guard let hit = memchr(base + i, 0x22, count &- i) else { return nil }
                i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            } else {
                while i < count && base[i] != 0x22 { i &+= 1 }
            }
            guard i < count else { return nil }
            var backslashes = 0
            while i &- 1 &- backslashes >= start && base[i &- 1 &- backslashes] == 0x5C { backslashes &+= 1 }
            if backslashes & 1 == 0 {
                offset = i &+ 1
                return start..<i
            }
            i &+= 1
        }
    }

    /// Skips the value that starts after white space; returns its range (nil on malformed input).
    mutating func skipValue() -> Range<Int>? {
        guard let first = peek() else { return nil }
        let start = offset
        switch first {
        case 0x22:
            guard skipString() != nil else { return nil }
        case 0x7B, 0x5B:
            var depth = 0
            while offset < count {
                // Between strings: jump to the next quote or bracket.
                while offset &+ 8 <= count {
                    let w = load(offset)
                    let folded = w | 0x2020_2020_2020_2020  // `[` -> `{`, `]` -> `}`
                    let hits = Self.matches(w, 0x22) | Self.matches(folded, 0x7B) | Self.matches(folded, 0x7D)
                    if hits != 0 {
                        offset &+= hits.trailingZeroBitCount &>> 3
                        break
                    }
                    offset &+= 8
                }
                guard offset < count else { return nil }
                let b = base[offset]
                if b == 0x22 {
                    guard skipString() != nil else { return nil }
                    continue
                }
                offset &+= 1
                if b == 0x7B || b == 0x5B {
                    depth &+= 1
                } else if b == 0x7D || b == 0x5D {
                    depth &-= 1
                    if depth == 0 { return start..<offset }
                }
            }
            return nil
        default:
            // A number or literal: up to the next delimiter.
            while offset < count {
                let b = base[offset]
                if b == 0x2C || b == 0x7D || b == 0x5D || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                offset &+= 1
            }
        }
        return start..<offset
    }

    @inline(__always)
    private func load(_ at: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self))
    }

    /// High bit set in each byte of `w` equal to `byte`; only the lowest set bit is exact (borrows
    /// can flag bytes above a true hit, never below).
    @inline(__always)
    static func matches(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & 0x8080_8080_8080_8080
    }
}
