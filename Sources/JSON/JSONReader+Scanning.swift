/// Where a scanned string's content lies (between its quotes) and what decoding it needs.
struct StringSpan {
    var start: Int
    var end: Int
    /// The content has at least one backslash escape.
    var hasEscapes: Bool
}

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

extension JSONReader {
    /// Scans the string whose opening quote is at `offset`, validating escapes, control characters and
    /// UTF-8; leaves `offset` after the closing quote.
    @inline(__always)
    mutating func scanString() throws(JSONParseError) -> StringSpan {
        let count = bytes.count
        let start = offset &+ 1
        var i = start
        var hasEscapes = false
        var seen: UInt64 = 0  // OR of the bytes passed over: its high bits tell whether any was non-ASCII
        while true {
            while i &+ 8 <= count {
                let w = SWAR.load(bytes, i)
                seen |= w
                let hits = SWAR.stringSpecials(w)
                if hits != 0 {
                    i &+= hits.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            var b: UInt8 = 0
            while i < count {
                b = bytes[i]
                if b == ASCII.quote || b == ASCII.backslash || b < 0x20 { break }
                seen |= UInt64(b)
                i &+= 1
            }
            guard i < count else { throw endOfInput("unterminated string") }
            if b == ASCII.quote { break }
            if b == ASCII.backslash {
                hasEscapes = true
                i = try scanEscape(at: i)
            } else {
                throw error(at: i, "invalid control character \(Self.hexByte(b)) in a string")
            }
        }
        offset = i &+ 1
        if seen & SWAR.highBits != 0, let bad = UTF8Validation.firstInvalidOffset(in: bytes, start..<i) {
            throw error(at: bad, "invalid UTF-8")
        }
        return StringSpan(start: start, end: i, hasEscapes: hasEscapes)
    }

    /// Validates the escape whose backslash is at `i`; returns the offset after it.
    private func scanEscape(at i: Int) throws(JSONParseError) -> Int {
        let count = bytes.count
        guard i &+ 1 < count else { throw endOfInput("unterminated string") }
        switch bytes[i &+ 1] {
        case ASCII.quote, ASCII.backslash, ASCII.slash, ASCII.lowerB, ASCII.lowerF, ASCII.lowerN, ASCII.lowerR,
            ASCII.lowerT:
            return i &+ 2
        case ASCII.lowerU:
            for k in 2..<6 {
                guard i &+ k < count else { throw endOfInput("unterminated string") }
                guard ASCII.hexValue(bytes[i &+ k]) != nil else {
                    throw error(at: i, "invalid \\u escape (expected four hex digits)")
                }
            }
            return i &+ 6
        case let e:
            if e >= 0x20 && e < 0x7F {
                throw error(at: i, "invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
            throw error(at: i, "invalid escape")
        }
    }

    /// Scans the number at `offset` (JSON's grammar, plus Python's `NaN`, `Infinity` and `-Infinity`);
    /// returns its byte range and leaves `offset` after it.
    @inline(__always)
    mutating func scanNumber() throws(JSONParseError) -> Range<Int> {
        let count = bytes.count
        let start = offset
        var i = start
        if bytes[i] == ASCII.minus { i &+= 1 }
        guard i < count else { throw endOfInput("expected a digit") }
        let first = bytes[i]
        if first == ASCII.zero {
            i &+= 1
        } else if first > ASCII.zero && first <= ASCII.nine {
            i &+= 1
            while i < count, ASCII.isDigit(bytes[i]) { i &+= 1 }
        } else if first == ASCII.upperI {
            offset = i
            try expectLiteral("Infinity")
            return start..<offset
        } else if first == ASCII.upperN && i == start {
            try expectLiteral("NaN")
            return start..<offset
        } else {
            throw unexpectedByte(at: i, expected: "a digit")
        }
        if i < count && bytes[i] == ASCII.period {
            i &+= 1
            guard i < count, ASCII.isDigit(bytes[i]) else { throw unexpectedByte(at: i, expected: "a digit after '.'") }
            while i < count, ASCII.isDigit(bytes[i]) { i &+= 1 }
        }
        if i < count && (bytes[i] == ASCII.lowerE || bytes[i] == ASCII.upperE) {
            i &+= 1
            if i < count && (bytes[i] == ASCII.plus || bytes[i] == ASCII.minus) { i &+= 1 }
            guard i < count, ASCII.isDigit(bytes[i]) else {
                throw unexpectedByte(at: i, expected: "a digit in the exponent")
            }
            while i < count, ASCII.isDigit(bytes[i]) { i &+= 1 }
        }
        offset = i
        return start..<i
    }

    /// Consumes `literal` (`true`, `false`, `null`, `NaN`, `Infinity`) at `offset`.
    @inline(__always)
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for k in 0..<length {
            let i = offset &+ k
            guard i < bytes.count else { throw endOfInput("expected '\(literal)'") }
            guard bytes[i] == text[k] else { throw unexpectedByte(at: i, expected: "'\(literal)'") }
        }
        offset &+= length
    }
}
