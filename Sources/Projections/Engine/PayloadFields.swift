import SmithJSON

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Typed, checked access to the fields of an event payload, failing with a reason that names the field.
///
/// Reads the payload's compact JSON bytes in place (see `FlatObjectScanner`): values are decoded only
/// when asked for, so a payload costs one pass over its bytes and no `JSONValue`. Lookups try the member
/// after the previous hit first: appliers read fields in schema order, which is the order events are
/// written in, so a whole payload is usually read with one key comparison per field.
struct PayloadFields {
    private let bytes: [UInt8]
    private let members: [FlatObjectScanner.Member]
    private var cursor = 0

    /// Scans `bytes`, falling back to the full parser for payloads the fast scan does not handle.
    init(bytes: [UInt8]) throws(ApplyFailure) {
        let scanned = bytes.withUnsafeBufferPointer { FlatObjectScanner.scan($0) }
        if let scanned {
            self.init(bytes: bytes, members: scanned)
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ApplyFailure("its payload is not valid JSON (\(error))")
        }
        try self.init(value)
    }

    /// Reads a payload given as a value (an upcaster's output, say).
    init(_ payload: JSONValue) throws(ApplyFailure) {
        guard case .object = payload else { throw ApplyFailure("the payload is not a JSON object") }
        // Compact output has no escapes in plain keys, so the fast scan always handles it.
        let compact = PythonJSON.compactBytes(payload)
        guard let scanned = compact.withUnsafeBufferPointer({ FlatObjectScanner.scan($0) }) else {
            throw ApplyFailure("the payload cannot be read (unusual keys)")
        }
        self.init(bytes: compact, members: scanned)
    }

    private init(bytes: [UInt8], members: [FlatObjectScanner.Member]) {
        self.bytes = bytes
        self.members = members
    }

    // MARK: Finding members

    private mutating func member(_ key: StaticString) throws(ApplyFailure) -> FlatObjectScanner.Member {
        if cursor < members.count, keyEquals(members[cursor].key, key) {
            cursor += 1
            return members[cursor - 1]
        }
        for i in members.indices where keyEquals(members[i].key, key) {
            cursor = i + 1
            return members[i]
        }
        throw ApplyFailure("required field '\(key)' is missing")
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

    private func wrongType(_ key: StaticString, _ expected: String, _ m: FlatObjectScanner.Member) -> ApplyFailure {
        let found: String
        switch m.kind {
        case .null: found = "null"
        case .bool: found = "a boolean"
        case .number: found = "the number \(text(m.value))"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "an object"
        }
        return ApplyFailure("field '\(key)' must be \(expected), found \(found)")
    }

    // MARK: Typed reads

    mutating func string(_ key: StaticString) throws(ApplyFailure) -> String {
        let m = try member(key)
        guard m.kind == .string else { throw wrongType(key, "a string", m) }
        return try decodeString(m, key)
    }

    mutating func optionalString(_ key: StaticString) throws(ApplyFailure) -> String? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .string: return try decodeString(m, key)
        default: throw wrongType(key, "a string or null", m)
        }
    }

    /// Binds the string field `key` as the next parameter, straight from the payload's bytes.
    mutating func bindString(_ key: StaticString, _ p: inout Parameters) throws {
        let m = try member(key)
        guard m.kind == .string else { throw wrongType(key, "a string", m) }
        try bindText(m, key, &p)
    }

    /// Binds the string-or-null field `key` as the next parameter, straight from the payload's bytes.
    mutating func bindOptionalString(_ key: StaticString, _ p: inout Parameters) throws {
        let m = try member(key)
        switch m.kind {
        case .null: try p.add(nil as String?)
        case .string: try bindText(m, key, &p)
        default: throw wrongType(key, "a string or null", m)
        }
    }

    /// The string fields `first` and `second` as one key: their UTF-8 bytes with 0xFF (a byte UTF-8 never
    /// uses) between them (`KeyedUpsert` compares keys this way).
    mutating func key(_ first: StaticString, _ second: StaticString) throws(ApplyFailure) -> [UInt8] {
        var key = try utf8(first)
        key.append(0xFF)
        key += try utf8(second)
        return key
    }

    /// `KeyHash` of `key(first, second)`, read in place (no copy unless a field has escapes).
    mutating func keyHash(_ first: StaticString, _ second: StaticString) throws(ApplyFailure) -> UInt64 {
        let a = try member(first)
        let b = try member(second)
        guard a.kind == .string else { throw wrongType(first, "a string", a) }
        guard b.kind == .string else { throw wrongType(second, "a string", b) }
        if a.escaped || b.escaped {
            let x = try utf8(first)
            let y = try utf8(second)
            return x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in KeyHash.of(x, y) } }
        }
        return bytes.withUnsafeBufferPointer { buffer in
            KeyHash.of(UnsafeBufferPointer(rebasing: buffer[a.value]), UnsafeBufferPointer(rebasing: buffer[b.value]))
        }
    }

    private mutating func utf8(_ name: StaticString) throws(ApplyFailure) -> [UInt8] {
        let m = try member(name)
        guard m.kind == .string else { throw wrongType(name, "a string", m) }
        if m.escaped { return Array(try decodeString(m, name).utf8) }
        return Array(bytes[m.value])
    }

    private func bindText(_ m: FlatObjectScanner.Member, _ key: StaticString, _ p: inout Parameters) throws {
        if m.escaped { return try p.add(decodeString(m, key)) }
        try bytes.withUnsafeBufferPointer { b in try p.addText(UnsafeBufferPointer(rebasing: b[m.value])) }
    }

    private func decodeString(_ m: FlatObjectScanner.Member, _ key: StaticString) throws(ApplyFailure) -> String {
        guard m.escaped else { return text(m.value) }
        // Escapes are rare in these fields; the full parser decodes them exactly.
        let quoted = bytes[(m.value.lowerBound - 1)..<(m.value.upperBound + 1)]
        guard case .string(let s)? = try? JSONParser.parse(quoted) else {
            throw ApplyFailure("field '\(key)' is not a valid JSON string")
        }
        return s
    }

    mutating func int(_ key: StaticString) throws(ApplyFailure) -> Int64 {
        let m = try member(key)
        guard m.kind == .number, let i = integer(m.value) else { throw wrongType(key, "an integer", m) }
        return i
    }

    mutating func optionalInt(_ key: StaticString) throws(ApplyFailure) -> Int64? {
        let m = try member(key)
        if m.kind == .null { return nil }
        guard m.kind == .number, let i = integer(m.value) else { throw wrongType(key, "an integer or null", m) }
        return i
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

    mutating func optionalDouble(_ key: StaticString) throws(ApplyFailure) -> Double? {
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

    mutating func bool(_ key: StaticString) throws(ApplyFailure) -> Bool {
        let m = try member(key)
        guard m.kind == .bool else { throw wrongType(key, "true or false", m) }
        return bytes[m.value.lowerBound] == UInt8(ascii: "t")
    }

    mutating func optionalBool(_ key: StaticString) throws(ApplyFailure) -> Bool? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .bool: return bytes[m.value.lowerBound] == UInt8(ascii: "t")
        default: throw wrongType(key, "true, false or null", m)
        }
    }

    /// An object, as compact JSON text.
    mutating func objectJSON(_ key: StaticString) throws(ApplyFailure) -> String {
        let m = try member(key)
        guard m.kind == .object else { throw wrongType(key, "an object", m) }
        return try containerText(m, key)
    }

    /// An object or null, as compact JSON text or nil.
    mutating func optionalObjectJSON(_ key: StaticString) throws(ApplyFailure) -> String? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .object: return try containerText(m, key)
        default: throw wrongType(key, "an object or null", m)
        }
    }

    /// An array, as compact JSON text.
    mutating func arrayJSON(_ key: StaticString) throws(ApplyFailure) -> String {
        let m = try member(key)
        guard m.kind == .array else { throw wrongType(key, "an array", m) }
        return try containerText(m, key)
    }

    /// An array or null, as compact JSON text or nil.
    mutating func optionalArrayJSON(_ key: StaticString) throws(ApplyFailure) -> String? {
        let m = try member(key)
        switch m.kind {
        case .null: return nil
        case .array: return try containerText(m, key)
        default: throw wrongType(key, "an array or null", m)
        }
    }

    /// A nested value's text, validated by the full parser (the scan only matched its brackets) and written
    /// compactly so json_extract() reads it.
    private func containerText(_ m: FlatObjectScanner.Member, _ key: StaticString) throws(ApplyFailure) -> String {
        guard let value = try? JSONParser.parse(bytes[m.value]) else {
            throw ApplyFailure("field '\(key)' is not valid JSON")
        }
        return String(decoding: PythonJSON.compactBytes(value), as: UTF8.self)
    }

    /// A lowercase-hex SHA-256 or event id (64 hex digits).
    mutating func hexDigest(_ key: StaticString) throws(ApplyFailure) -> String {
        let s = try string(key)
        guard s.utf8.count == 64, s.utf8.allSatisfy(Self.isLowerHex) else {
            throw ApplyFailure("field '\(key)' must be 64 lowercase hex digits, found '\(s.prefix(80))'")
        }
        return s
    }

    private static func isLowerHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }
}
