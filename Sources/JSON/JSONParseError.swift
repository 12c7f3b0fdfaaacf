/// Why and where JSON input was rejected.
///
/// `offset` is a byte offset into the input; `line` and `column` are 1-based, with the column counted in
/// Unicode scalars (as Python's `json` counts characters). `path` is a JSONPath of the value being read when
/// the error happened, e.g. `$.trajectory[3].messages`; keys that are not plain identifiers are written
/// `$['a key']`. For structural errors (a missing `,` or `}`) the path names the container being read.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Hashable {
    /// Byte offset of the offending byte, or the input's length when the input ended too early.
    public var offset: Int
    /// 1-based line of `offset` (lines end with `\n`).
    public var line: Int
    /// 1-based column of `offset`, counted in Unicode scalars.
    public var column: Int
    /// JSONPath of the value being read, `$` for the top level.
    public var path: String
    /// What was wrong, e.g. `expected ',' or '}'` or `invalid UTF-8`.
    public var message: String

    public init(offset: Int, line: Int, column: Int, path: String = "$", message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `$.info.model_stats: expected ',' or '}' at line 3 column 7 (byte 40)`.
    public var description: String {
        "\(path): \(message) at line \(line) column \(column) (byte \(offset))"
    }
}

extension JSONParseError {
    /// An error at `offset` of `bytes`, with line and column worked out from the bytes before it.
    init(at offset: Int, in bytes: UnsafeRawBufferPointer, _ message: String) {
        var line = 1
        var column = 1
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        self.init(offset: offset, line: line, column: column, message: message)
    }

    /// The same error seen from the parent container: `key` is put in front of the path.
    func prefixed(key: String) -> JSONParseError {
        var copy = self
        copy.path = "$" + JSONPathComponent.key(key) + path.dropFirst()
        return copy
    }

    /// The same error seen from the parent array: `[index]` is put in front of the path.
    func prefixed(index: Int) -> JSONParseError {
        var copy = self
        copy.path = "$[\(index)]" + path.dropFirst()
        return copy
    }
}

/// Spelling of JSONPath components in error messages.
enum JSONPathComponent {
    /// `.name` for identifier-like keys, `['k\'ey']` for anything else.
    static func key(_ key: String) -> String {
        if isIdentifier(key) { return "." + key }
        var out = "['"
        for ch in key.unicodeScalars {
            switch ch {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "']"
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !ASCII.isDigit(first) else { return false }
        return key.utf8.allSatisfy { b in
            ASCII.isDigit(b) || b == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b | 0x20)
        }
    }
}
