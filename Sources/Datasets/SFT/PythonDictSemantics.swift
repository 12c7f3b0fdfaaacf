import SmithJSON

/// Reading a parsed JSON object the way Python's `dict` from `json.loads` reads it.
///
/// `JSONValue` keeps duplicate keys as they came; Python keeps one entry per key, at the place the
/// key first appeared, holding the value it had last. The reference transforms index messages with
/// `message["key"]`, so a lookup here returns the last value, and anything dumped back out is
/// collapsed first. Keys compare by code points, as in Python: Swift's `String ==` would also
/// equate canonically equivalent spellings (`é` and `e` + U+0301), which Python keeps apart.
extension JSONValue {
    /// Python's `d[key]` on the dict `json.loads` makes: the last value under `key`.
    func pyValue(_ key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        for (k, v) in pairs.reversed() where k.utf8.elementsEqual(key.utf8) { return v }
        return nil
    }

    /// Python's `key in d`.
    func pyHasKey(_ key: String) -> Bool {
        guard case .object(let pairs) = self else { return false }
        return pairs.contains { $0.0.utf8.elementsEqual(key.utf8) }
    }

    /// Python's `value == "text"`: true only for a string with exactly these code points.
    func pyEquals(_ text: String) -> Bool {
        guard case .string(let s) = self else { return false }
        return s.utf8.elementsEqual(text.utf8)
    }

    /// This value as Python holds it after `json.loads`: duplicate keys collapsed at every depth.
    /// Values without duplicates come back as they are.
    func pyCollapsed() -> JSONValue {
        guard pyNeedsCollapse else { return self }
        switch self {
        case .array(let items):
            return .array(items.map { $0.pyCollapsed() })
        case .object(let pairs):
            var order: [CodePointKey] = []
            var latest: [CodePointKey: JSONValue] = [:]
            for (k, v) in pairs where latest.updateValue(v, forKey: CodePointKey(k)) == nil {
                order.append(CodePointKey(k))
            }
            return .object(order.map { ($0.string, latest[$0]!.pyCollapsed()) })
        default:
            return self
        }
    }

    private var pyNeedsCollapse: Bool {
        switch self {
        case .array(let items):
            return items.contains { $0.pyNeedsCollapse }
        case .object(let pairs):
            if pairs.count > 1 {
                var seen = Set<CodePointKey>(minimumCapacity: pairs.count)
                for (k, _) in pairs where !seen.insert(CodePointKey(k)).inserted { return true }
            }
            return pairs.contains { $0.1.pyNeedsCollapse }
        default:
            return false
        }
    }

    /// Python's `len()` of the value, or `nil` where `len` raises.
    var pyLength: Int? {
        switch self {
        case .array(let items): return items.count
        case .string(let s): return s.unicodeScalars.count
        case .object: return pyCollapsed().objectValue?.count
        default: return nil
        }
    }

    /// The Python type name `json.loads` gives this value, for error messages.
    var pyTypeName: String {
        switch self {
        case .null: return "None"
        case .bool: return "bool"
        case .number(let text):
            return text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
                || text.hasSuffix("NaN") || text.hasSuffix("Infinity") ? "float" : "int"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}

/// A dictionary key that compares by code points, as Python's `str` does.
struct CodePointKey: Hashable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (a: CodePointKey, b: CodePointKey) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

    func hash(into hasher: inout Hasher) {
        for b in string.utf8 { hasher.combine(b) }
    }
}
