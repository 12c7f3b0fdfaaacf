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

    /// `text` (a `$.a['b'][3]` path) with its middle components replaced by `…` when it has more than
    /// `2 * keep` components: `$.a.b.c.d.e…[7][8][9].x.y`. Paths of a thousand components are not worth printing.
    static func elided(_ text: String, keep: Int = 5) -> String {
        let parts = components(text)
        guard parts.count > 2 * keep + 1 else { return text }
        return "$" + parts.prefix(keep).joined() + "…" + parts.suffix(keep).joined()
    }

    /// The components after `$`: `.key`, `['key']` (with `\'` and `\\` escapes) and `[3]`; whatever does not
    /// parse ends the list as one last component.
    static func components(_ text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        var parts: [String] = []
        var i = chars.first == "$" ? 1 : 0
        while i < chars.count {
            let start = i
            if chars[i] == "." {
                i += 1
                while i < chars.count, chars[i] != ".", chars[i] != "[" { i += 1 }
            } else if chars[i] == "[", i + 1 < chars.count, chars[i + 1] == "'" {
                i += 2
                while i < chars.count {
                    if chars[i] == "\\" {
                        i += 2
                    } else if chars[i] == "'" && i + 1 < chars.count && chars[i + 1] == "]" {
                        i += 2
                        break
                    } else {
                        i += 1
                    }
                }
            } else if chars[i] == "[" {
                while i < chars.count, chars[i] != "]" { i += 1 }
                i += 1
            } else {
                i = chars.count
            }
            i = min(i, chars.count)
            var part = ""
            part.unicodeScalars.append(contentsOf: chars[start..<i])
            parts.append(part)
        }
        return parts
    }
}
