extension JSONReader {
    /// The text of a scanned (hence valid) string.
    ///
    /// A `\uXXXX` escape of a lone surrogate, which Python keeps as is but a Swift `String` cannot hold,
    /// becomes U+FFFD; a high surrogate escape followed by a low one becomes their pair's scalar, as in Python.
    @inline(__always)
    func decodeString(_ span: StringSpan) -> String {
        let length = span.end &- span.start
        guard length > 0, let base = bytes.baseAddress else { return "" }
        let content = UnsafeBufferPointer(
            start: (base + span.start).assumingMemoryBound(to: UInt8.self), count: length)
        guard span.hasEscapes else { return String(decoding: content, as: UTF8.self) }
        // Unescaping never lengthens the text, so the raw length is enough room.
        return String(unsafeUninitializedCapacity: length) { out in
            Self.unescape(content, into: out)
        }
    }

    /// Writes the unescaped UTF-8 of `content` (escapes already validated) to `out`; returns its length.
    private static func unescape(_ content: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>)
        -> Int
    {
        let source = content.baseAddress!
        let target = out.baseAddress!
        let end = content.count
        var i = 0
        var o = 0
        while i < end {
            let next = nextBackslash(source, from: i, end: end)
            if next > i {
                (target + o).update(from: source + i, count: next &- i)
                o &+= next &- i
                i = next
            }
            guard i < end else { break }
            let escape = source[i &+ 1]
            i &+= 2
            switch escape {
            case ASCII.lowerN: target[o] = ASCII.newline
            case ASCII.lowerT: target[o] = ASCII.tab
            case ASCII.lowerR: target[o] = ASCII.carriageReturn
            case ASCII.lowerB: target[o] = 0x08
            case ASCII.lowerF: target[o] = 0x0C
            case ASCII.lowerU:
                var scalar = hex4(source + i)
                i &+= 4
                if scalar & 0xFC00 == 0xD800 {
                    if i &+ 6 <= end && source[i] == ASCII.backslash && source[i &+ 1] == ASCII.lowerU {
                        let low = hex4(source + (i &+ 2))
                        if low & 0xFC00 == 0xDC00 {
                            scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
                            i &+= 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar & 0xFC00 == 0xDC00 {
                    scalar = 0xFFFD
                }
                o &+= writeUTF8(scalar, to: target + o)
                continue
            default: target[o] = escape  // '"', '\\' and '/'
            }
            o &+= 1
        }
        return o
    }

    /// The offset of the next backslash in `source[from..<end]`, or `end`.
    @inline(__always)
    private static func nextBackslash(_ source: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i &+ 8 <= end {
            let w = UInt64(littleEndian: UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self))
            let hits = SWAR.matches(w, ASCII.backslash)
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < end && source[i] != ASCII.backslash { i &+= 1 }
        return i
    }

    @inline(__always)
    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (ASCII.hexValue(p[k]) ?? 0) }
        return value
    }

    /// Writes `scalar` (not a surrogate) as UTF-8; returns the number of bytes.
    @inline(__always)
    static func writeUTF8(_ scalar: UInt32, to p: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            p[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            p[0] = UInt8(0xC0 | scalar >> 6)
            p[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            p[0] = UInt8(0xE0 | scalar >> 12)
            p[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            p[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            p[0] = UInt8(0xF0 | scalar >> 18)
            p[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            p[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            p[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
