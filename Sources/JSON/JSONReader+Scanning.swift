/// Where a scanned string's content lies: between its quotes, escapes not decoded.
struct StringSpan {
    var start: Int
    var end: Int
}

extension JSONReader {
    /// Scans the string whose opening quote is at `offset`, validating escapes, control characters and
    /// UTF-8; leaves `offset` after the closing quote.
    @inline(__always)
    mutating func scanString() throws(JSONParseError) -> StringSpan {
        let count = bytes.count
        let start = offset &+ 1
        var i = start
        var seen: UInt64 = 0  // OR of the bytes passed over: its high bits tell whether any was non-ASCII
        while true {
            i = plainRunEnd(from: i, seen: &seen)
            guard i < count else { throw endOfInput("unterminated string") }
            let b = bytes[i]
            if b == ASCII.quote { break }
            if b == ASCII.backslash {
                // The common escapes inline; `\u`, errors and the end of input out of line.
                if i &+ 1 < count, Self.isSimpleEscape(bytes[i &+ 1]) {
                    i &+= 2
                } else {
                    i = try scanEscape(at: i)
                }
            } else {
                throw error(at: i, "invalid control character \(Self.hexByte(b)) in a string")
            }
        }
        offset = i &+ 1
        try validateUTF8(start..<i, seen: seen)
        return StringSpan(start: start, end: i)
    }

    @inline(__always)
    static func isSimpleEscape(_ b: UInt8) -> Bool {
        switch b {
        case ASCII.quote, ASCII.backslash, ASCII.slash, ASCII.lowerB, ASCII.lowerF, ASCII.lowerN, ASCII.lowerR,
            ASCII.lowerT:
            true
        default: false
        }
    }

    /// The offset of the first `"`, `\` or control character at or after `i`, or the input's length.
    /// `seen` accumulates (a superset of) the bytes passed over, to tell whether any was non-ASCII.
    @inline(__always)
    func plainRunEnd(from i: Int, seen: inout UInt64) -> Int {
        let count = bytes.count
        var i = i
        while i &+ 8 <= count {
            let w = SWAR.load(bytes, i)
            seen |= w
            let hits = SWAR.stringSpecials(w)
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < count {
            let b = bytes[i]
            if b == ASCII.quote || b == ASCII.backslash || b < 0x20 { return i }
            seen |= UInt64(b)
            i &+= 1
        }
        return i
    }

    /// Throws for invalid UTF-8 in `range` when `seen` says it has non-ASCII bytes.
    @inline(__always)
    func validateUTF8(_ range: Range<Int>, seen: UInt64) throws(JSONParseError) {
        if seen & SWAR.highBits != 0, let bad = UTF8Validation.firstInvalidOffset(in: bytes, range) {
            throw error(at: bad, "invalid UTF-8")
        }
    }

    /// Validates the escape whose backslash is at `i`; returns the offset after it.
    func scanEscape(at i: Int) throws(JSONParseError) -> Int {
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
