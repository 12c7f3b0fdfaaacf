// The public reads of `JSONReader`: scalars, whole values, raw byte ranges and containers.

extension JSONReader {
    /// Reads the next value as a whole ``JSONValue``.
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        try parseValue()
    }

    /// Skips the next value, validating it exactly as ``readValue()`` would.
    public mutating func skipValue() throws(JSONParseError) {
        try skipAnyValue()
    }

    /// Skips the next value and returns its byte range in ``bytes`` (without surrounding whitespace), so a
    /// caller can keep the exact bytes of, say, each element of a top-level array.
    public mutating func readRawValue() throws(JSONParseError) -> Range<Int> {
        skipWhitespace()
        let start = offset
        try skipAnyValue()
        return start..<offset
    }

    /// Reads a string.
    public mutating func readString() throws(JSONParseError) -> String {
        try expect(.string)
        return try parseString()
    }

    /// Reads a string, or `nil` for `null`.
    public mutating func readStringOrNull() throws(JSONParseError) -> String? {
        if readNullIfPresent() { return nil }
        return try readString()
    }

    /// Reads a number and returns its source text (`"1e-05"`, `"-0"`, `"NaN"`).
    public mutating func readNumberText() throws(JSONParseError) -> String {
        try expect(.number)
        return numberText(try scanNumber())
    }

    /// Reads an integer literal that fits in `Int`.
    public mutating func readInt() throws(JSONParseError) -> Int {
        try expect(.number)
        let start = offset
        let text = numberText(try scanNumber())
        guard let value = Int(text) else { throw error(at: start, "expected an integer, found \(text)") }
        return value
    }

    /// Reads a number (integer or float literal, `NaN`, `Infinity`, `-Infinity`) as a `Double`.
    public mutating func readDouble() throws(JSONParseError) -> Double {
        try expect(.number)
        return PythonNumber.double(numberText(try scanNumber()))
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONParseError) -> Bool {
        try expect(.bool)
        if bytes[offset] == ASCII.lowerT {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads `null`.
    public mutating func readNull() throws(JSONParseError) {
        try expect(.null)
        try expectLiteral("null")
    }

    /// Consumes a `null` and returns true when one is next; otherwise consumes nothing.
    public mutating func readNullIfPresent() -> Bool {
        skipWhitespace()
        guard offset &+ 4 <= bytes.count, bytes[offset] == ASCII.lowerN else { return false }
        let isNull =
            bytes[offset &+ 1] == ASCII.lowerU && bytes[offset &+ 2] == ASCII.lowerL
            && bytes[offset &+ 3] == ASCII.lowerL
        if isNull { offset &+= 4 }
        return isNull
    }

    /// Reads an object, calling `body` with each key (in source order, duplicates included) while the
    /// reader is positioned at that key's value.
    ///
    /// `body` reads the value with the reader it is given; if it reads nothing, the value is skipped
    /// (and validated). A ``JSONParseError`` thrown by `body` gets the key put in front of its path;
    /// other errors pass through unchanged.
    public mutating func readObject(_ body: (String, inout JSONReader) throws -> Void) throws {
        try enterContainer(ASCII.openBrace, .object)
        if closesEmpty(ASCII.closeBrace) { return }
        var first = true
        repeat {
            let key = try readKey(first: first)
            first = false
            skipWhitespace()
            let valueStart = offset
            do {
                try body(key, &self)
                if offset == valueStart { try skipAnyValue() }
            } catch let error as JSONParseError {
                throw error.prefixed(key: key)
            }
        } while try containerContinues(close: ASCII.closeBrace)
    }

    /// Reads an array, calling `body` with each index while the reader is positioned at that element.
    ///
    /// `body` reads the element with the reader it is given; if it reads nothing, the element is skipped
    /// (and validated). A ``JSONParseError`` thrown by `body` gets `[index]` put in front of its path.
    public mutating func readArray(_ body: (Int, inout JSONReader) throws -> Void) throws {
        try enterContainer(ASCII.openBracket, .array)
        if closesEmpty(ASCII.closeBracket) { return }
        var index = 0
        repeat {
            skipWhitespace()
            let valueStart = offset
            do {
                try body(index, &self)
                if offset == valueStart { try skipAnyValue() }
            } catch let error as JSONParseError {
                throw error.prefixed(index: index)
            }
            index &+= 1
        } while try containerContinues(close: ASCII.closeBracket)
    }

    /// Reads an array, mapping each element with `element` (which must read it).
    public mutating func readElements<T>(_ element: (inout JSONReader) throws -> T) throws -> [T] {
        var result: [T] = []
        try readArray { _, reader in result.append(try element(&reader)) }
        return result
    }

    /// Throws unless the next value is of `kind`; leaves `offset` at its first byte.
    private mutating func expect(_ kind: Kind) throws(JSONParseError) {
        let found = try peekKind()
        if found != kind { throw error(at: offset, "expected \(kind), found \(found)") }
    }
}
