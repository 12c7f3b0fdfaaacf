/// Writes JSON string literals the way Python's `json` encoder does.
///
/// `"` `\` `\n` `\r` `\t` `\b` `\f` are escaped by name and other characters below U+0020 as `\u00XX`
/// (lowercase hex); `/` is not escaped. With `ensureASCII`, DEL and every non-ASCII character are written as
/// `\uXXXX` too, characters above U+FFFF as a surrogate pair; without it they are written as raw UTF-8
/// (U+2028 and U+2029 included, as Python does).
enum JSONStringEscaper {
    static func write(_ string: String, ensureASCII: Bool, into out: inout [UInt8]) {
        out.append(ASCII.quote)
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            escape(utf8, ensureASCII: ensureASCII, into: &out)
        }
        if done == nil {
            let utf8 = Array(string.utf8)
            utf8.withUnsafeBufferPointer { escape($0, ensureASCII: ensureASCII, into: &out) }
        }
        out.append(ASCII.quote)
    }

    private static func escape(_ utf8: UnsafeBufferPointer<UInt8>, ensureASCII: Bool, into out: inout [UInt8]) {
        let count = utf8.count
        guard let base = utf8.baseAddress else { return }
        let raw = UnsafeRawBufferPointer(utf8)
        var runStart = 0
        var i = 0
        while i < count {
            // Find the next byte that needs escaping, eight at a time.
            while i &+ 8 <= count {
                let w = SWAR.load(raw, i)
                var hits = SWAR.stringSpecials(w)
                if ensureASCII { hits |= (w & SWAR.highBits) | SWAR.matches(w, ASCII.delete) }
                if hits != 0 {
                    i &+= hits.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            while i < count && !needsEscape(base[i], ensureASCII) { i &+= 1 }
            guard i < count else { break }
            if i > runStart {
                out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i &- runStart))
            }
            let b = base[i]
            i &+= 1
            switch b {
            case ASCII.quote, ASCII.backslash: appendEscape(b, into: &out)
            case ASCII.newline: appendEscape(ASCII.lowerN, into: &out)
            case ASCII.carriageReturn: appendEscape(ASCII.lowerR, into: &out)
            case ASCII.tab: appendEscape(ASCII.lowerT, into: &out)
            case 0x08: appendEscape(ASCII.lowerB, into: &out)
            case 0x0C: appendEscape(ASCII.lowerF, into: &out)
            case ..<0x80: writeUnicodeEscape(UInt32(b), into: &out)
            default:
                // A non-ASCII scalar (the String's UTF-8 is valid): decode it and escape it.
                var scalar = UInt32(b)
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                scalar &= 0xFF >> (length &+ 1)
                for _ in 1..<length {
                    scalar = scalar << 6 | UInt32(base[i] & 0x3F)
                    i &+= 1
                }
                if scalar >= 0x10000 {
                    let v = scalar &- 0x10000
                    writeUnicodeEscape(0xD800 | v >> 10, into: &out)
                    writeUnicodeEscape(0xDC00 | v & 0x3FF, into: &out)
                } else {
                    writeUnicodeEscape(scalar, into: &out)
                }
            }
            runStart = i
        }
        if count > runStart {
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count &- runStart))
        }
    }

    @inline(__always)
    private static func needsEscape(_ b: UInt8, _ ensureASCII: Bool) -> Bool {
        b < 0x20 || b == ASCII.quote || b == ASCII.backslash || (ensureASCII && b >= ASCII.delete)
    }

    @inline(__always)
    private static func appendEscape(_ name: UInt8, into out: inout [UInt8]) {
        out.append(ASCII.backslash)
        out.append(name)
    }

    /// `\uXXXX` with lowercase hex.
    private static func writeUnicodeEscape(_ value: UInt32, into out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.utf8Start
        out.append(ASCII.backslash)
        out.append(ASCII.lowerU)
        out.append(digits[Int(value >> 12 & 0xF)])
        out.append(digits[Int(value >> 8 & 0xF)])
        out.append(digits[Int(value >> 4 & 0xF)])
        out.append(digits[Int(value & 0xF)])
    }
}
