internal import SmithJSON

/// Typed access to the members of one JSON object, turning every surprise into a `ReadError` that names the
/// file and the JSON path of the offending value.
///
/// "Optional" accessors return `nil` for a missing key *and* for `null` (the tools write `null` for "not
/// known"), but still reject a value of the wrong type: a string where a number belongs is a broken file,
/// not an absent value.
struct ObjectFields {
    let pairs: [(String, JSONValue)]
    let path: JSONPath
    let file: String

    /// Wraps `value`, which must be an object; `what` names it in the error ("a report", "a trajectory").
    init(_ value: JSONValue, path: JSONPath = .root, file: String, what: String = "an object") throws(ReadError) {
        guard case .object(let pairs) = value else {
            throw ReadError(
                path: file, jsonPath: path.text, message: "expected \(what), found \(FoundDescription.of(value))")
        }
        self.pairs = pairs
        self.path = path
        self.file = file
    }

    var keys: [String] { pairs.map(\.0) }

    /// The first value under `key` (Python keeps the last of duplicate keys; the tools never write duplicates).
    func value(_ key: String) -> JSONValue? {
        for (k, v) in pairs where k == key { return v }
        return nil
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func error(_ key: String, _ message: String) -> ReadError {
        ReadError(path: file, jsonPath: path.key(key).text, message: message)
    }

    func mismatch(_ key: String, expected: String, found value: JSONValue) -> ReadError {
        error(key, "expected \(expected), found \(FoundDescription.of(value))")
    }

    func required(_ key: String, expected: String) throws(ReadError) -> JSONValue {
        guard let value = value(key) else {
            throw error(key, "missing required key \"\(key)\" (expected \(expected))")
        }
        return value
    }

    // MARK: strings

    func string(_ key: String) throws(ReadError) -> String {
        let value = try required(key, expected: "a string")
        guard case .string(let s) = value else { throw mismatch(key, expected: "a string", found: value) }
        return s
    }

    func optionalString(_ key: String) throws(ReadError) -> String? {
        guard let value = value(key) else { return nil }
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: throw mismatch(key, expected: "a string or null", found: value)
        }
    }

    // MARK: numbers

    func int(_ key: String) throws(ReadError) -> Int {
        let value = try required(key, expected: "an integer")
        guard let i = Self.integer(value) else { throw mismatch(key, expected: "an integer", found: value) }
        return i
    }

    func optionalInt(_ key: String) throws(ReadError) -> Int? {
        guard let value = value(key), !value.isNull else { return nil }
        guard let i = Self.integer(value) else { throw mismatch(key, expected: "an integer", found: value) }
        return i
    }

    func optionalDouble(_ key: String) throws(ReadError) -> Double? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .number(let text) = value, let d = Double(text) else {
            throw mismatch(key, expected: "a number", found: value)
        }
        return d
    }

    /// An integer from a number literal; `12.0` counts (Python floats that hold whole counts), `12.5` does not.
    static func integer(_ value: JSONValue) -> Int? {
        guard case .number(let text) = value else { return nil }
        if let i = Int(text) { return i }
        guard let d = Double(text), d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int(d)
    }

    // MARK: booleans

    func bool(_ key: String) throws(ReadError) -> Bool {
        let value = try required(key, expected: "a boolean")
        guard case .bool(let b) = value else { throw mismatch(key, expected: "a boolean", found: value) }
        return b
    }

    func optionalBool(_ key: String) throws(ReadError) -> Bool? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .bool(let b) = value else { throw mismatch(key, expected: "a boolean", found: value) }
        return b
    }

    // MARK: containers

    func object(_ key: String, what: String = "an object") throws(ReadError) -> ObjectFields {
        let value = try required(key, expected: what)
        return try ObjectFields(value, path: path.key(key), file: file, what: what)
    }

    func optionalObject(_ key: String, what: String = "an object") throws(ReadError) -> ObjectFields? {
        guard let value = value(key), !value.isNull else { return nil }
        return try ObjectFields(value, path: path.key(key), file: file, what: what)
    }

    func optionalArray(_ key: String) throws(ReadError) -> [JSONValue]? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array", found: value) }
        return items
    }

    /// A list of strings (ids, test names); each element is checked so the error points at the bad one.
    func optionalStringArray(_ key: String) throws(ReadError) -> [String]? {
        guard let items = try optionalArray(key) else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw ReadError(
                    path: file, jsonPath: path.key(key).index(i).text,
                    message: "expected a string, found \(FoundDescription.of(item))")
            }
            out.append(s)
        }
        return out
    }

    func stringArray(_ key: String) throws(ReadError) -> [String] {
        let value = try required(key, expected: "an array of strings")
        guard case .array = value else { throw mismatch(key, expected: "an array of strings", found: value) }
        return try optionalStringArray(key) ?? []
    }
}
