/// A 64-bit hash of a two-part key (8 bytes at a time, multiply-rotate, then a final mix): far cheaper
/// than hashing a byte array through `Hasher`, and collisions are checked by the caller.
enum KeyHash {
    static func of(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = mix(0x9E37_79B9_7F4A_7C15, first)
        h = (h ^ 0xFF) &* 0x5851_F42D_4C95_7F2D
        return finish(mix(h, second))
    }

    /// The hash of a key already joined with its 0xFF separator (rows read back from the table).
    static func of(_ joined: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let cut = joined.firstIndex(of: 0xFF) ?? joined.count
        return of(
            UnsafeBufferPointer(rebasing: joined[..<cut]),
            UnsafeBufferPointer(rebasing: joined[min(cut + 1, joined.count)...]))
    }

    @inline(__always)
    private static func mix(_ seed: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i + 8 <= raw.count {
            h = (h.rotated(5) ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x517C_C1B7_2722_0A95
            i += 8
        }
        var tail = UInt64(raw.count)
        var shift: UInt64 = 8
        while i < raw.count {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        return (h.rotated(5) ^ tail) &* 0x517C_C1B7_2722_0A95
    }

    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
