/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), locating the first bad byte.
enum UTF8Validation {
    /// The offset of the first byte in `range` that does not start or continue a valid sequence, or `nil`.
    ///
    /// A sequence cut short by the end of `range` is invalid at its first byte.
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            // ASCII runs, eight bytes at a time.
            while i &+ 8 <= end {
                let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 8
            }
            guard i < end else { return nil }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i &+= 1
                continue
            }
            let length = sequenceLength(bytes, at: i, end: end)
            guard length > 0 else { return i }
            i &+= length
        }
        return nil
    }

    /// The length of the valid multi-byte sequence at `i`, or 0 when it is invalid.
    @inline(__always)
    private static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int, end: Int) -> Int {
        let b0 = bytes[i]
        @inline(__always) func byte(_ k: Int) -> UInt8 { i + k < end ? bytes[i + k] : 0 }
        @inline(__always) func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return isContinuation(byte(1)) ? 2 : 0
        case 0xE0...0xEF:
            let b1 = byte(1)
            let secondOK: Bool
            switch b0 {
            case 0xE0: secondOK = (0xA0...0xBF).contains(b1)
            case 0xED: secondOK = (0x80...0x9F).contains(b1)
            default: secondOK = isContinuation(b1)
            }
            return secondOK && isContinuation(byte(2)) ? 3 : 0
        case 0xF0...0xF4:
            let b1 = byte(1)
            let secondOK: Bool
            switch b0 {
            case 0xF0: secondOK = (0x90...0xBF).contains(b1)
            case 0xF4: secondOK = (0x80...0x8F).contains(b1)
            default: secondOK = isContinuation(b1)
            }
            return secondOK && isContinuation(byte(2)) && isContinuation(byte(3)) ? 4 : 0
        default:
            return 0
        }
    }

    /// The scalar encoded at `i` when the bytes there are valid UTF-8.
    static func scalar(in bytes: UnsafeRawBufferPointer, at i: Int) -> Unicode.Scalar? {
        let b0 = bytes[i]
        if b0 < 0x80 { return Unicode.Scalar(b0) }
        let length = sequenceLength(bytes, at: i, end: bytes.count)
        guard length > 0 else { return nil }
        var value = UInt32(b0) & (0xFF >> (length + 1))
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value)
    }
}
