/// Python's `repr(float)` (which `str(float)` and `json.dumps` also use for finite values).
public enum PythonFloat {
    /// `repr(d)` as CPython writes it: the shortest digits that read back as `d`, in fixed notation when the
    /// decimal exponent is in -4..<16 (always with a fractional part: `100000.0`, `0.0001`), otherwise in
    /// scientific notation with a signed exponent of at least two digits (`1e+16`, `1e-05`, `1.5e-07`);
    /// `inf`, `-inf`, `nan` (never `-nan`); `-0.0` keeps its sign.
    public static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = shortestDigits(d.magnitude)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if d < 0 { out.append(ASCII.minus) }
        if exponent >= -4 && exponent < 16 {
            if exponent < 0 {
                out.append(ASCII.zero)
                out.append(ASCII.period)
                out.append(contentsOf: repeatElement(ASCII.zero, count: -exponent - 1))
                out.append(contentsOf: digits)
            } else if digits.count > exponent + 1 {
                out.append(contentsOf: digits[..<(exponent + 1)])
                out.append(ASCII.period)
                out.append(contentsOf: digits[(exponent + 1)...])
            } else {
                out.append(contentsOf: digits)
                out.append(contentsOf: repeatElement(ASCII.zero, count: exponent + 1 - digits.count))
                out.append(ASCII.period)
                out.append(ASCII.zero)
            }
        } else {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(ASCII.period)
                out.append(contentsOf: digits[1...])
            }
            out.append(ASCII.lowerE)
            out.append(exponent < 0 ? ASCII.minus : ASCII.plus)
            let magnitude = exponent.magnitude
            if magnitude < 10 { out.append(ASCII.zero) }
            out.append(contentsOf: String(magnitude).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The shortest round-trip decimal digits of a finite positive `d` (no leading or trailing zeros) and
    /// the decimal exponent of the first digit, taken from Swift's own shortest formatting.
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], exponent: Int) {
        let text = d.description.utf8
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(of: ASCII.lowerE) {
            exponent = Int(String(decoding: text[text.index(after: e)...], as: UTF8.self)) ?? 0
            mantissa = text[..<e]
        }
        var digits: [UInt8] = []
        var pointSeen = false
        var integerDigits = 0
        var leadingZeros = 0  // zeros after the point before the first significant digit
        for b in mantissa {
            if b == ASCII.period {
                pointSeen = true
            } else if digits.isEmpty && b == ASCII.zero {
                if pointSeen { leadingZeros += 1 }
            } else {
                digits.append(b)
                if !pointSeen { integerDigits += 1 }
            }
        }
        while digits.last == ASCII.zero { digits.removeLast() }
        exponent += integerDigits > 0 ? integerDigits - 1 : -(leadingZeros + 1)
        return (digits, exponent)
    }
}
