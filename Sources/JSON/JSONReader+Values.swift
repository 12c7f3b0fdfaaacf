// Whole values: materialising (`parseValue`) and validating skips (`skipAnyValue`).
// Both recurse through containers; errors get the key or index of each level on their way out.

extension JSONReader {
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw endOfInput("expected a value") }
        switch bytes[offset] {
        case ASCII.quote:
            return .string(try parseString())
        case ASCII.openBrace:
            return try parseObject()
        case ASCII.openBracket:
            return try parseArray()
        case ASCII.lowerT:
            try expectLiteral("true")
            return .bool(true)
        case ASCII.lowerF:
            try expectLiteral("false")
            return .bool(false)
        case ASCII.lowerN:
            try expectLiteral("null")
            return .null
        case ASCII.minus, ASCII.zero...ASCII.nine, ASCII.upperN, ASCII.upperI:
            return .number(numberText(try scanNumber()))
        default:
            throw unexpectedByte(expected: "a value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer(ASCII.openBrace, .object)
        var members: [(String, JSONValue)] = []
        if closesEmpty(ASCII.closeBrace) { return .object(members) }
        repeat {
            let key = try readKey(first: members.isEmpty)
            do {
                members.append((key, try parseValue()))
            } catch {
                throw error.prefixed(key: key)
            }
        } while try containerContinues(close: ASCII.closeBrace)
        return .object(members)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer(ASCII.openBracket, .array)
        var elements: [JSONValue] = []
        if closesEmpty(ASCII.closeBracket) { return .array(elements) }
        repeat {
            do {
                elements.append(try parseValue())
            } catch {
                throw error.prefixed(index: elements.count)
            }
        } while try containerContinues(close: ASCII.closeBracket)
        return .array(elements)
    }

    func numberText(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Skips one value, validating it as strictly as `parseValue` would.
    mutating func skipAnyValue() throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw endOfInput("expected a value") }
        switch bytes[offset] {
        case ASCII.quote: _ = try scanString()
        case ASCII.openBrace: try skipObject()
        case ASCII.openBracket: try skipArray()
        case ASCII.lowerT: try expectLiteral("true")
        case ASCII.lowerF: try expectLiteral("false")
        case ASCII.lowerN: try expectLiteral("null")
        case ASCII.minus, ASCII.zero...ASCII.nine, ASCII.upperN, ASCII.upperI: _ = try scanNumber()
        default: throw unexpectedByte(expected: "a value")
        }
    }

    private mutating func skipObject() throws(JSONParseError) {
        try enterContainer(ASCII.openBrace, .object)
        if closesEmpty(ASCII.closeBrace) { return }
        var first = true
        repeat {
            let key = try readKeySpan(first: first)
            first = false
            do {
                try skipAnyValue()
            } catch {
                throw error.prefixed(key: decodeString(key))
            }
        } while try containerContinues(close: ASCII.closeBrace)
    }

    private mutating func skipArray() throws(JSONParseError) {
        try enterContainer(ASCII.openBracket, .array)
        if closesEmpty(ASCII.closeBracket) { return }
        var index = 0
        repeat {
            do {
                try skipAnyValue()
            } catch {
                throw error.prefixed(index: index)
            }
            index &+= 1
        } while try containerContinues(close: ASCII.closeBracket)
    }
}
