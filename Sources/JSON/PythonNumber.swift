/// How Python's `json.loads` reads a number literal, and how Python then writes it back.
///
/// A literal with `.`, `e` or `E` becomes a `float` (nearest double; out-of-range values become infinities
/// or zero); `NaN`, `Infinity` and `-Infinity` become floats too; anything else becomes an `int`, kept exact
/// at any length (`-0` becomes `0`).
enum PythonNumber {
    /// True when Python would make a `float` of this literal.
    static func isFloat(_ text: String) -> Bool {
        text.utf8.contains {
            $0 == ASCII.period || $0 == ASCII.lowerE || $0 == ASCII.upperE || $0 == ASCII.upperN
                || $0 == ASCII.upperI
        }
    }

    /// The literal's value as a `Double`, as Python's `float()` reads it.
    static func double(_ text: String) -> Double {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text) ?? .nan
        }
    }

    /// The literal as `json.dumps` writes the value `json.loads` made of it.
    static func jsonText(_ text: String) -> String {
        guard isFloat(text) else { return text == "-0" ? "0" : text }
        let value = double(text)
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return PythonFloat.repr(value)
    }

    /// The literal as Python's `repr()` (and `str()`) writes the value `json.loads` made of it.
    static func reprText(_ text: String) -> String {
        guard isFloat(text) else { return text == "-0" ? "0" : text }
        return PythonFloat.repr(double(text))
    }
}
