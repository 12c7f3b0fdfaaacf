/// A forward-only pull reader over JSON bytes, for hot paths that must not materialise whole documents.
///
/// The reader borrows `bytes`: it must not outlive the buffer it was made from. Every read skips the
/// whitespace before the value, and every skip validates what it skips, with the same errors as
/// ``JSONParser``. Errors thrown from inside ``readObject(_:)`` and ``readArray(_:)`` get the key or index
/// put in front of their `path`, so they name the value from the reader's starting point. After an error
/// the reader's position is unspecified. A UTF-8 byte order mark at the start is skipped.
///
/// ```swift
/// try reader.readObject { key, reader in
///     switch key {
///     case "trajectory": try reader.readArray { index, reader in steps.append(try reader.readRawValue()) }
///     case "info": info = try reader.readValue()
///     default: break  // a value the body does not read is skipped
///     }
/// }
/// ```
public struct JSONReader {
    /// The kinds of JSON value, as seen from their first byte.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case null, bool, number, string, array, object

        public var description: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// Containers nested deeper than this are rejected (Python's own limit is about the same).
    public static let maximumDepth = 1000

    /// The whole input; ``offset`` and the ranges from ``readRawValue()`` index into it.
    public let bytes: UnsafeRawBufferPointer
    /// Byte offset of the next unread byte.
    public internal(set) var offset: Int
    /// How many containers enclose the current position.
    var depth = 0
    /// Reused to unescape strings; made when the first escaped string is read.
    var scratch: ScratchBuffer?

    /// A reader positioned at the start of `bytes` (after a UTF-8 byte order mark, if any).
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        offset = hasBOM ? 3 : 0
    }

    /// Runs `body` with a reader over `bytes`.
    public static func withReader<R>(
        _ bytes: [UInt8], _ body: (inout JSONReader) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            return try body(&reader)
        }
    }

    /// True when nothing but whitespace is left.
    public var isAtEnd: Bool {
        var i = offset
        while i < bytes.count, ASCII.isWhitespace(bytes[i]) { i += 1 }
        return i == bytes.count
    }

    /// Checks that nothing but whitespace is left.
    public mutating func finish() throws(JSONParseError) {
        skipWhitespace()
        if offset < bytes.count { throw unexpectedByte(expected: "end of input after the value") }
    }

    /// The kind of the next value, without consuming it.
    public mutating func peekKind() throws(JSONParseError) -> Kind {
        skipWhitespace()
        guard offset < bytes.count else { throw endOfInput("expected a value") }
        guard let kind = Self.kind(startingWith: bytes[offset]) else { throw unexpectedByte(expected: "a value") }
        return kind
    }

    /// An error at the current position with `message`; thrown from a ``readObject(_:)`` or
    /// ``readArray(_:)`` body, it gets the path of the value being read.
    public func error(_ message: String) -> JSONParseError {
        JSONParseError(at: offset, in: bytes, message)
    }

    static func kind(startingWith b: UInt8) -> Kind? {
        switch b {
        case ASCII.quote: .string
        case ASCII.openBrace: .object
        case ASCII.openBracket: .array
        case ASCII.lowerT, ASCII.lowerF: .bool
        case ASCII.lowerN: .null
        case ASCII.minus, ASCII.zero...ASCII.nine, ASCII.upperN, ASCII.upperI: .number
        default: nil
        }
    }
}

// MARK: - Position and errors

extension JSONReader {
    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count, ASCII.isWhitespace(bytes[offset]) { offset &+= 1 }
    }

    func error(at offset: Int, _ message: String) -> JSONParseError {
        JSONParseError(at: offset, in: bytes, message)
    }

    func endOfInput(_ message: String) -> JSONParseError {
        JSONParseError(at: bytes.count, in: bytes, "unexpected end of input, " + message)
    }

    /// An error for the byte at `offset`, saying what was expected there instead.
    func unexpectedByte(at offset: Int? = nil, expected: String) -> JSONParseError {
        let at = offset ?? self.offset
        guard at < bytes.count else { return endOfInput("expected " + expected) }
        let b = bytes[at]
        if b >= 0x80 {
            guard let scalar = UTF8Validation.scalar(in: bytes, at: at) else { return error(at: at, "invalid UTF-8") }
            return error(at: at, "unexpected character '\(scalar)', expected \(expected)")
        }
        if b >= 0x20 && b < 0x7F {
            return error(at: at, "unexpected character '\(Character(Unicode.Scalar(b)))', expected \(expected)")
        }
        return error(at: at, "unexpected byte \(Self.hexByte(b)), expected \(expected)")
    }

    static func hexByte(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return b < 0x10 ? "0x0" + hex : "0x" + hex
    }

    /// Consumes the opening byte of a container and checks the nesting limit.
    mutating func enterContainer(_ open: UInt8, _ what: Kind) throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count else { throw endOfInput("expected \(what)") }
        guard bytes[offset] == open else {
            if let found = Self.kind(startingWith: bytes[offset]) {
                throw error(at: offset, "expected \(what), found \(found)")
            }
            throw unexpectedByte(expected: what.description)
        }
        guard depth < Self.maximumDepth else {
            throw error(at: offset, "nesting deeper than \(Self.maximumDepth) levels")
        }
        depth &+= 1
        offset &+= 1
    }

    /// After a member: consumes `,` (true: another member follows) or the closing byte (false).
    @inline(__always)
    mutating func containerContinues(close: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        if offset < bytes.count {
            let b = bytes[offset]
            if b == ASCII.comma {
                offset &+= 1
                return true
            }
            if b == close {
                offset &+= 1
                depth &-= 1
                return false
            }
        }
        throw unexpectedByte(expected: close == ASCII.closeBrace ? "',' or '}'" : "',' or ']'")
    }

    /// Right after `[` or `{`: consumes the closing byte of an empty container.
    @inline(__always)
    mutating func closesEmpty(_ close: UInt8) -> Bool {
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == close {
            offset &+= 1
            depth &-= 1
            return true
        }
        return false
    }

    /// Reads an object key and the `:` after it; `first` tells whether `}` would also have been fine.
    @inline(__always)
    mutating func readKey(first: Bool) throws(JSONParseError) -> String {
        try expectKeyStart(first: first)
        let key = try parseString()
        try expectColon()
        return key
    }

    /// Like ``readKey(first:)`` without making a `String` of the key.
    @inline(__always)
    mutating func readKeySpan(first: Bool) throws(JSONParseError) -> StringSpan {
        try expectKeyStart(first: first)
        let span = try scanString()
        try expectColon()
        return span
    }

    @inline(__always)
    private mutating func expectKeyStart(first: Bool) throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == ASCII.quote else {
            throw unexpectedByte(expected: first ? "a string key or '}'" : "a string key")
        }
    }

    @inline(__always)
    private mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == ASCII.colon else {
            throw unexpectedByte(expected: "':' after the key")
        }
        offset &+= 1
    }
}
