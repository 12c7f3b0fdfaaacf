/// Builds the `$.a.b[3]` paths that `ReadError.jsonPath` carries.
///
/// Keys that are plain identifiers are written `.key`; anything else (instance ids with `-` and `.`, spaces)
/// is written `['key']`, the same spelling SmithJSON's `JSONParseError.path` uses, so paths from both agree.
struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    private(set) var text: String

    static let root = JSONPath(text: "$")

    var description: String { text }

    func key(_ key: String) -> JSONPath {
        if Self.isIdentifier(key) { return JSONPath(text: text + "." + key) }
        var escaped = ""
        for ch in key.unicodeScalars {
            switch ch {
            case "'": escaped += "\\'"
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return JSONPath(text: text + "['" + escaped + "']")
    }

    /// Appends a path relative to this one, such as a parse error's `$.a[2]` found inside this value.
    func appending(relative: String) -> JSONPath {
        JSONPath(text: text + relative.dropFirst())
    }

    func index(_ index: Int) -> JSONPath {
        JSONPath(text: text + "[" + String(index) + "]")
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }
}
