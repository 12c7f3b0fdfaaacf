/// Python's `str()` and `repr()` of the value `json.loads` makes of a ``JSONValue``.
///
/// `True`/`False`/`None`; integers in decimal (`-0` as `0`); floats as ``PythonFloat/repr(_:)`` (`nan`,
/// `inf`); lists `[1, 'a']`; dicts `{'a': 'x', 'b': [1, 2]}` with repeated keys merged as `json.loads` does.
/// Strings are quoted as Python quotes them: `'` unless the text has a `'` and no `"`; `\\`, the chosen
/// quote, `\n`, `\r` and `\t` escaped by name; other characters that `str.isprintable()` rejects as `\xNN`,
/// `\uNNNN` or `\UNNNNNNNN` (lowercase hex).
///
/// Printability follows the Unicode database of CPython 3.11 (``unicodeVersion``): characters in the
/// categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (except the ASCII space) are not printable, and so are
/// characters assigned after that Unicode version (which Python 3.11 sees as unassigned). Characters whose
/// category changed in later Unicode versions may differ.
public enum PythonRepr {
    /// The Unicode version of CPython 3.11's `unicodedata`, whose notion of printable `repr` follows.
    public static let unicodeVersion: Unicode.Version = (major: 14, minor: 0)

    /// `str(v)`: a top-level string as it is, anything else as ``repr(_:)``.
    public static func str(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return repr(value)
    }

    /// `repr(v)`.
    public static func repr(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `repr(s)` of a Python `str`.
    public static func repr(_ string: String) -> String {
        var out: [UInt8] = []
        writeString(string, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Python's `str.isprintable()` for one character, under ``unicodeVersion``.
    public static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
        let properties = scalar.properties
        guard let age = properties.age,
            age.major < unicodeVersion.major || (age.major == unicodeVersion.major && age.minor <= unicodeVersion.minor)
        else { return false }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "None".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "True" : "False").utf8)
        case .number(let text): out.append(contentsOf: PythonNumber.reprText(text).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            out.append(ASCII.openBracket)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                write(element, into: &out)
            }
            out.append(ASCII.closeBracket)
        case .object(let pairs):
            out.append(ASCII.openBrace)
            for (i, (key, member)) in PythonDict.items(pairs).enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(member, into: &out)
            }
            out.append(ASCII.closeBrace)
        }
    }

    private static func writeString(_ string: String, into out: inout [UInt8]) {
        var hasApostrophe = false
        var hasQuote = false
        for b in string.utf8 {
            if b == ASCII.apostrophe { hasApostrophe = true } else if b == ASCII.quote { hasQuote = true }
        }
        let quote = hasApostrophe && !hasQuote ? ASCII.quote : ASCII.apostrophe
        out.append(quote)
        for scalar in string.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let b = UInt8(value)
                switch b {
                case quote, ASCII.backslash: escape(b, into: &out)
                case ASCII.newline: escape(ASCII.lowerN, into: &out)
                case ASCII.carriageReturn: escape(ASCII.lowerR, into: &out)
                case ASCII.tab: escape(ASCII.lowerT, into: &out)
                case ..<0x20, ASCII.delete: hexEscape(value, marker: 0x78, digits: 2, into: &out)  // \xNN
                default: out.append(b)
                }
            } else if isPrintable(scalar) {
                out.append(contentsOf: UTF8.encode(scalar)!)
            } else if value <= 0xFF {
                hexEscape(value, marker: 0x78, digits: 2, into: &out)  // \xNN
            } else if value <= 0xFFFF {
                hexEscape(value, marker: ASCII.lowerU, digits: 4, into: &out)  // \uNNNN
            } else {
                hexEscape(value, marker: 0x55, digits: 8, into: &out)  // \UNNNNNNNN
            }
        }
        out.append(quote)
    }

    @inline(__always)
    private static func escape(_ b: UInt8, into out: inout [UInt8]) {
        out.append(ASCII.backslash)
        out.append(b)
    }

    private static func hexEscape(_ value: UInt32, marker: UInt8, digits: Int, into out: inout [UInt8]) {
        out.append(ASCII.backslash)
        out.append(marker)
        for k in stride(from: digits - 1, through: 0, by: -1) {
            out.append(ASCII.hexDigits[Int(value >> (4 * UInt32(k)) & 0xF)])
        }
    }
}
