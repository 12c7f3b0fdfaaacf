import SmithJSON

/// Typed, checked access to the fields of an event payload, failing with a reason that names the field.
///
/// Lookups try the position after the previous hit first: appliers read fields in schema order, which is
/// the order events are written in, so a whole payload is usually read with one comparison per field.
struct PayloadFields {
    private let pairs: [(String, JSONValue)]
    private var cursor = 0

    init(_ payload: JSONValue) throws(ApplyFailure) {
        guard case .object(let pairs) = payload else { throw ApplyFailure("the payload is not a JSON object") }
        self.pairs = pairs
    }

    /// The value under `key`; fails when the key is absent (required fields may be null, never absent).
    private mutating func value(_ key: String) throws(ApplyFailure) -> JSONValue {
        if cursor < pairs.count, pairs[cursor].0 == key {
            cursor += 1
            return pairs[cursor - 1].1
        }
        for i in pairs.indices where pairs[i].0 == key {
            cursor = i + 1
            return pairs[i].1
        }
        throw ApplyFailure("required field '\(key)' is missing")
    }

    private func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> ApplyFailure {
        let kind: String
        switch found {
        case .null: kind = "null"
        case .bool: kind = "a boolean"
        case .number(let n): kind = "the number \(n)"
        case .string: kind = "a string"
        case .array: kind = "an array"
        case .object: kind = "an object"
        }
        return ApplyFailure("field '\(key)' must be \(expected), found \(kind)")
    }

    mutating func string(_ key: String) throws(ApplyFailure) -> String {
        let v = try value(key)
        guard case .string(let s) = v else { throw wrongType(key, "a string", v) }
        return s
    }

    mutating func optionalString(_ key: String) throws(ApplyFailure) -> String? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .string(let s): return s
        default: throw wrongType(key, "a string or null", v)
        }
    }

    mutating func int(_ key: String) throws(ApplyFailure) -> Int64 {
        let v = try value(key)
        guard case .number(let n) = v, let i = Int64(n) else { throw wrongType(key, "an integer", v) }
        return i
    }

    mutating func optionalInt(_ key: String) throws(ApplyFailure) -> Int64? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .number(let n):
            guard let i = Int64(n) else { throw wrongType(key, "an integer or null", v) }
            return i
        default: throw wrongType(key, "an integer or null", v)
        }
    }

    mutating func optionalDouble(_ key: String) throws(ApplyFailure) -> Double? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .number(let n):
            guard let d = Double(n) else { throw wrongType(key, "a number or null", v) }
            return d
        default: throw wrongType(key, "a number or null", v)
        }
    }

    mutating func bool(_ key: String) throws(ApplyFailure) -> Bool {
        let v = try value(key)
        guard case .bool(let b) = v else { throw wrongType(key, "true or false", v) }
        return b
    }

    mutating func optionalBool(_ key: String) throws(ApplyFailure) -> Bool? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .bool(let b): return b
        default: throw wrongType(key, "true, false or null", v)
        }
    }

    /// An object, as compact JSON text.
    mutating func objectJSON(_ key: String) throws(ApplyFailure) -> String {
        let v = try value(key)
        guard case .object = v else { throw wrongType(key, "an object", v) }
        return Self.compactText(v)
    }

    /// An object or null, as compact JSON text or nil.
    mutating func optionalObjectJSON(_ key: String) throws(ApplyFailure) -> String? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .object: return Self.compactText(v)
        default: throw wrongType(key, "an object or null", v)
        }
    }

    /// An array, as compact JSON text.
    mutating func arrayJSON(_ key: String) throws(ApplyFailure) -> String {
        let v = try value(key)
        guard case .array = v else { throw wrongType(key, "an array", v) }
        return Self.compactText(v)
    }

    /// An array or null, as compact JSON text or nil.
    mutating func optionalArrayJSON(_ key: String) throws(ApplyFailure) -> String? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .array: return Self.compactText(v)
        default: throw wrongType(key, "an array or null", v)
        }
    }

    /// A lowercase-hex SHA-256 or event id (64 hex digits).
    mutating func hexDigest(_ key: String) throws(ApplyFailure) -> String {
        let s = try string(key)
        guard s.utf8.count == 64, s.utf8.allSatisfy(Self.isLowerHex) else {
            throw ApplyFailure("field '\(key)' must be 64 lowercase hex digits, found '\(s.prefix(80))'")
        }
        return s
    }

    private static func isLowerHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }

    /// Compact JSON with the payload's key order, as events store it, so json_extract works on it.
    private static func compactText(_ v: JSONValue) -> String {
        String(decoding: PythonJSON.compactBytes(v), as: UTF8.self)
    }
}
