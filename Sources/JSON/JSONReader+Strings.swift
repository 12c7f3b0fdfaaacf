extension JSONReader {
    /// Reads the string whose opening quote is at `offset`, validating it as ``scanString()`` does, in one
    /// pass: plain text is copied eight bytes at a time while escapes are decoded.
    ///
    /// A `\uXXXX` escape of a lone surrogate, which Python keeps but a Swift `String` cannot hold, becomes
    /// U+FFFD; a high surrogate escape followed by a low one becomes their pair's scalar, as in Python.
    @inline(__always)
    mutating func parseString() throws(JSONParseError) -> String {
        let start = offset &+ 1
        var seen: UInt64 = 0
        let i = plainRunEnd(from: start, seen: &seen)
        guard i < bytes.count else { throw endOfInput("unterminated string") }
        if bytes[i] == ASCII.quote {
            offset = i &+ 1
            try validateUTF8(start..<i, seen: seen)
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }
        return try parseEscapedString(start: start, stop: i, seen: seen)
    }

    /// The rest of `parseString()` once the first escape (or bad byte) is found at `stop`.
    private mutating func parseEscapedString(start: Int, stop: Int, seen: UInt64) throws(JSONParseError) -> String {
        let count = bytes.count
        let scratch = scratchBuffer()
        var out = scratch.reserve(stop &- start &+ 64, keeping: 0)
        var capacity = scratch.capacity
        var seen = seen
        UnsafeMutableRawPointer(out).copyMemory(from: bytes.baseAddress! + start, byteCount: stop &- start)
        var o = stop &- start
        var i = stop
        while true {
            // Copy plain text a word at a time; the word's bytes after a special byte are overwritten later.
            while i &+ 8 <= count {
                if o &+ 8 > capacity {
                    out = scratch.reserve(o &+ 8, keeping: o)
                    capacity = scratch.capacity
                }
                let w = SWAR.load(bytes, i)
                UnsafeMutableRawPointer(out + o).storeBytes(of: w.littleEndian, as: UInt64.self)
                seen |= w
                let hits = SWAR.stringSpecials(w)
                if hits != 0 {
                    let k = hits.trailingZeroBitCount &>> 3
                    i &+= k
                    o &+= k
                    break
                }
                i &+= 8
                o &+= 8
            }
            if o &+ 8 > capacity {
                out = scratch.reserve(o &+ 8, keeping: o)
                capacity = scratch.capacity
            }
            var b: UInt8 = 0
            while i < count {
                b = bytes[i]
                if b == ASCII.quote || b == ASCII.backslash || b < 0x20 { break }
                seen |= UInt64(b)
                if o == capacity {
                    out = scratch.reserve(o &+ 8, keeping: o)
                    capacity = scratch.capacity
                }
                out[o] = b
                o &+= 1
                i &+= 1
            }
            guard i < count else { throw endOfInput("unterminated string") }
            if b == ASCII.quote { break }
            guard b == ASCII.backslash else {
                throw error(at: i, "invalid control character \(Self.hexByte(b)) in a string")
            }
            guard i &+ 1 < count else { throw endOfInput("unterminated string") }
            // Room for the longest decoded escape (4 bytes).
            if o &+ 4 > capacity {
                out = scratch.reserve(o &+ 8, keeping: o)
                capacity = scratch.capacity
            }
            switch bytes[i &+ 1] {
            case ASCII.lowerN: out[o] = ASCII.newline
            case ASCII.quote: out[o] = ASCII.quote
            case ASCII.backslash: out[o] = ASCII.backslash
            case ASCII.lowerT: out[o] = ASCII.tab
            case ASCII.lowerR: out[o] = ASCII.carriageReturn
            case ASCII.slash: out[o] = ASCII.slash
            case ASCII.lowerB: out[o] = 0x08
            case ASCII.lowerF: out[o] = 0x0C
            case ASCII.lowerU:
                let (scalar, length) = try unicodeEscape(at: i)
                o &+= Self.writeUTF8(scalar, to: out + o)
                i &+= length
                continue
            default:
                _ = try scanEscape(at: i)  // throws the right error
            }
            o &+= 1
            i &+= 2
        }
        offset = i &+ 1
        try validateUTF8(start..<i, seen: seen)
        return String(decoding: UnsafeBufferPointer(start: out, count: o), as: UTF8.self)
    }

    /// The scalar of the `\uXXXX` escape at `i` (a surrogate pair taking two escapes) and the escape's length.
    private func unicodeEscape(at i: Int) throws(JSONParseError) -> (UInt32, Int) {
        guard let high = hexQuad(at: i &+ 2) else {
            _ = try scanEscape(at: i)  // throws the right error
            return (0xFFFD, 6)
        }
        switch high {
        case 0xD800..<0xDC00:
            if i &+ 12 <= bytes.count && bytes[i &+ 6] == ASCII.backslash && bytes[i &+ 7] == ASCII.lowerU,
                let low = hexQuad(at: i &+ 8), (0xDC00..<0xE000).contains(low)
            {
                return (0x10000 &+ ((high &- 0xD800) << 10) &+ (low &- 0xDC00), 12)
            }
            return (0xFFFD, 6)
        case 0xDC00..<0xE000:
            return (0xFFFD, 6)
        default:
            return (high, 6)
        }
    }

    /// The value of the four hex digits at `i`, or `nil`.
    @inline(__always)
    private func hexQuad(at i: Int) -> UInt32? {
        guard i &+ 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = ASCII.hexValue(bytes[i &+ k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private mutating func scratchBuffer() -> ScratchBuffer {
        if let scratch { return scratch }
        let scratch = ScratchBuffer(capacity: 4096)
        self.scratch = scratch
        return scratch
    }

    /// The text of a string already scanned with ``scanString()``; used on error paths for keys.
    func decodeString(_ span: StringSpan) -> String {
        var reader = self
        reader.offset = span.start &- 1
        return (try? reader.parseString()) ?? ""
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
