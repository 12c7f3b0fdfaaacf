public import SmithJSON
public import SmithStore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Reads an event's payload fields in order: the read half of an event type's codec.
///
/// Reads the payload's compact JSON bytes in place (see `FlatObjectScanner`): values are decoded only
/// when asked for, so a payload costs one pass over its bytes and no `JSONValue`. Lookups try the member
/// after the previous hit first: appliers read fields in schema order, which is the order events are
/// written in, so a whole payload is usually read with one key comparison per field.
public struct PayloadDecoder {
    private let bytes: [UInt8]
    private let members: [FlatObjectScanner.Member]
    private var cursor = 0

    /// Scans `bytes`, falling back to the full parser for payloads the fast scan does not handle.
    public init(bytes: [UInt8]) throws(EventDecodingError) {
        let scanned = bytes.withUnsafeBufferPointer { FlatObjectScanner.scan($0) }
        if let scanned {
            self.init(bytes: bytes, members: scanned)
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingError("its payload is not valid JSON (\(error))")
        }
        try self.init(value)
    }

    /// Reads a payload given as a value (an upcaster's output, say).
    public init(_ payload: JSONValue) throws(EventDecodingError) {
        guard case .object = payload else { throw EventDecodingError("the payload is not a JSON object") }
        // Compact output has no escapes in plain keys, so the fast scan always handles it.
        let compact = PythonJSON.compactBytes(payload)
        guard let scanned = compact.withUnsafeBufferPointer({ FlatObjectScanner.scan($0) }) else {
            throw EventDecodingError("the payload cannot be read (unusual keys)")
        }
        self.init(bytes: compact, members: scanned)
    }

    private init(bytes: [UInt8], members: [FlatObjectScanner.Member]) {
        self.bytes = bytes
        self.members = members
    }

    // MARK: Finding members

    private mutating func member(_ key: StaticString) throws(EventDecodingError) -> FlatObjectScanner.Member {
        if cursor < members.count, keyEquals(members[cursor].key, key) {
            cursor += 1
            return members[cursor - 1]
        }
        for i in members.indices where keyEquals(members[i].key, key) {
            cursor = i + 1
            return members[i]
        }
        throw EventDecodingError("required field '\(key)' is missing")
    }

    @inline(__always)
    private func keyEquals(_ range: Range<Int>, _ key: StaticString) -> Bool {
        let n = key.utf8CodeUnitCount
        guard range.count == n else { return false }
        return bytes.withUnsafeBufferPointer { b in memcmp(b.baseAddress! + range.lowerBound, key.utf8Start, n) == 0 }
    }

    private func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private func wrongType(_ key: StaticString, _ expected: String, _ m: FlatObjectScanner.Member) -> EventDecodingError
    {
        let found: String
        switch m.kind {
        case .null: found = "null"
        case .bool: found = "a boolean"
        case .number: found = "the number \(text(m.value))"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "an object"
        }
        return EventDecodingError("field '\(key)' must be \(expected), found \(found)")
    }

    // MARK: Typed reads

    public mutating func string(_ key: StaticString) throws(EventDecodingError) -> String {
        let m = try member(key)
        guard m.kind == .string else { throw wrongType(key, "a string", m) }
        return try decodeString(m, key)
    }

    public mutating func optionalString(_ key: StaticString) throws(EventDecodingError) -> String? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .string: return try decodeString(m, key)
        default: throw wrongType(key, "a string or null", m)
        }
    }

    private func decodeString(_ m: FlatObjectScanner.Member, _ key: StaticString) throws(EventDecodingError) -> String {
        guard m.escaped else { return text(m.value) }
        // Escapes are rare in these fields; the full parser decodes them exactly.
        let quoted = bytes[(m.value.lowerBound - 1)..<(m.value.upperBound + 1)]
        guard case .string(let s)? = try? JSONParser.parse(quoted) else {
            throw EventDecodingError("field '\(key)' is not a valid JSON string")
        }
        return s
    }

    public mutating func int(_ key: StaticString) throws(EventDecodingError) -> Int {
        let m = try member(key)
        guard m.kind == .number, let i = integer(m.value) else { throw wrongType(key, "an integer", m) }
        return Int(i)
    }

    public mutating func optionalInt(_ key: StaticString) throws(EventDecodingError) -> Int? {
        let m = try member(key)
        if m.kind == .null { return nil }
        guard m.kind == .number, let i = integer(m.value) else { throw wrongType(key, "an integer or null", m) }
        return Int(i)
    }

    /// An integer literal that fits in Int64 (no fraction, no exponent), parsed without making a String.
    private func integer(_ range: Range<Int>) -> Int64? {
        bytes.withUnsafeBufferPointer { b -> Int64? in
            var i = range.lowerBound
            let negative = b[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            guard i < range.upperBound else { return nil }
            var value: Int64 = 0
            while i < range.upperBound {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { return nil }
                value = s
                i += 1
            }
            return value
        }
    }

    public mutating func optionalDouble(_ key: StaticString) throws(EventDecodingError) -> Double? {
        let m = try member(key)
        if m.kind == .null { return nil }
        guard m.kind == .number else { throw wrongType(key, "a number or null", m) }
        if let i = integer(m.value) { return Double(i) }
        if let d = shortDecimal(m.value) { return d }
        guard let d = Double(text(m.value)) else { throw wrongType(key, "a number or null", m) }
        return d
    }

    /// A plain decimal like `0.125` with at most 15 digits, without making a String: the digits as an
    /// integer divided by a power of ten, both exact in a Double, so the one division rounds correctly
    /// (the classic fast path); nil for anything else (exponents, long mantissas), which strtod handles.
    private func shortDecimal(_ range: Range<Int>) -> Double? {
        bytes.withUnsafeBufferPointer { b -> Double? in
            var i = range.lowerBound
            let negative = b[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            var mantissa: Int64 = 0
            var digits = 0
            var fraction = -1
            while i < range.upperBound {
                let c = b[i]
                if c == UInt8(ascii: "."), fraction < 0 {
                    fraction = 0
                } else if c &- UInt8(ascii: "0") < 10 {
                    mantissa = mantissa * 10 + Int64(c &- UInt8(ascii: "0"))
                    digits += 1
                    if fraction >= 0 { fraction += 1 }
                    guard digits <= 15 else { return nil }
                } else {
                    return nil
                }
                i += 1
            }
            guard digits > 0, fraction > 0 else { return nil }
            let value = Double(mantissa) / Self.powersOfTen[fraction]
            return negative ? -value : value
        }
    }

    private static let powersOfTen: [Double] = (0...15).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    public mutating func bool(_ key: StaticString) throws(EventDecodingError) -> Bool {
        let m = try member(key)
        guard m.kind == .bool else { throw wrongType(key, "true or false", m) }
        return bytes[m.value.lowerBound] == UInt8(ascii: "t")
    }

    public mutating func optionalBool(_ key: StaticString) throws(EventDecodingError) -> Bool? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .bool: return bytes[m.value.lowerBound] == UInt8(ascii: "t")
        default: throw wrongType(key, "true, false or null", m)
        }
    }

    private static func isLowerHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }

    // MARK: Digests and nested values

    /// A SHA-256 or event id written as 64 lowercase hex digits.
    public mutating func digest(_ key: StaticString) throws(EventDecodingError) -> Digest {
        let m = try member(key)
        guard m.kind == .string else { throw wrongType(key, "64 lowercase hex digits", m) }
        return try hexDigest(m, key)
    }

    public mutating func optionalDigest(_ key: StaticString) throws(EventDecodingError) -> Digest? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .string: return try hexDigest(m, key)
        default: throw wrongType(key, "64 lowercase hex digits or null", m)
        }
    }

    private func hexDigest(_ m: FlatObjectScanner.Member, _ key: StaticString) throws(EventDecodingError) -> Digest {
        let digest = bytes.withUnsafeBufferPointer { b -> Digest? in
            guard !m.escaped, m.value.count == 64, b[m.value].allSatisfy(Self.isLowerHex) else { return nil }
            return Digest(hexUTF8: UnsafeBufferPointer(rebasing: b[m.value]))
        }
        guard let digest else {
            throw EventDecodingError(
                "field '\(key)' must be 64 lowercase hex digits, found '\(text(m.value).prefix(80))'")
        }
        return digest
    }

    /// An object (`object`) or array (`array`) or either, validated by the full parser.
    public mutating func json(_ key: StaticString, _ kind: NestedKind) throws(EventDecodingError) -> JSONValue {
        let m = try member(key)
        guard kind.accepts(m.kind) else { throw wrongType(key, kind.expected, m) }
        return try nested(m, key)
    }

    /// Like `json(_:_:)`, or nil for null.
    public mutating func optionalJSON(_ key: StaticString, _ kind: NestedKind) throws(EventDecodingError) -> JSONValue?
    {
        let m = try member(key)
        if m.kind == .null { return nil }
        guard kind.accepts(m.kind) else { throw wrongType(key, kind.expected + " or null", m) }
        return try nested(m, key)
    }

    /// An array of strings, or nil for null.
    public mutating func optionalStrings(_ key: StaticString) throws(EventDecodingError) -> [String]? {
        guard let value = try optionalJSON(key, .array) else { return nil }
        guard case .array(let items) = value else { throw EventDecodingError("field '\(key)' must be an array") }
        var strings: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw EventDecodingError("field '\(key)' must be an array of strings")
            }
            strings.append(s)
        }
        return strings
    }

    /// An object of integer counts, in its order.
    public mutating func counts(_ key: StaticString) throws(EventDecodingError) -> [(String, Int)] {
        guard case .object(let pairs) = try json(key, .object) else {
            throw EventDecodingError("field '\(key)' must be an object")
        }
        var counts: [(String, Int)] = []
        for (name, value) in pairs {
            guard case .number(let text) = value, let n = Int(text) else {
                throw EventDecodingError("field '\(key).\(name)' must be an integer")
            }
            counts.append((name, n))
        }
        return counts
    }

    private func nested(_ m: FlatObjectScanner.Member, _ key: StaticString) throws(EventDecodingError) -> JSONValue {
        guard let value = try? JSONParser.parse(bytes[m.value]) else {
            throw EventDecodingError("field '\(key)' is not valid JSON")
        }
        return value
    }

    /// Which nested values a field takes.
    public enum NestedKind: Sendable {
        case object, array, any

        fileprivate func accepts(_ kind: FlatObjectScanner.Kind) -> Bool {
            switch self {
            case .object: kind == .object
            case .array: kind == .array
            case .any: kind == .object || kind == .array
            }
        }

        fileprivate var expected: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .any: "an object or an array"
            }
        }
    }
}
