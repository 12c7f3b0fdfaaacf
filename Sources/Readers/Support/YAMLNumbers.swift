/// Normalises YAML 1.1 number spellings to JSON number literal text.
enum YAMLNumbers {
    /// `0x1F`, `0o17`, `017` (YAML 1.1 octal), `0b101`, `1_000`, `+5`, `1:30` (base 60) → decimal text.
    static func integerLiteral(_ yaml: String) -> String? {
        var text = yaml.filter { $0 != "_" }
        var negative = false
        if text.hasPrefix("-") || text.hasPrefix("+") {
            negative = text.hasPrefix("-")
            text.removeFirst()
        }
        let magnitude: Int64?
        if text.contains(":") {
            var total: Int64 = 0
            for part in text.split(separator: ":") {
                guard let digit = Int64(part) else { return nil }
                let (shifted, o1) = total.multipliedReportingOverflow(by: 60)
                let (sum, o2) = shifted.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                total = sum
            }
            magnitude = total
        } else if text.hasPrefix("0x") {
            magnitude = Int64(text.dropFirst(2), radix: 16)
        } else if text.hasPrefix("0b") {
            magnitude = Int64(text.dropFirst(2), radix: 2)
        } else if text.hasPrefix("0o") {
            magnitude = Int64(text.dropFirst(2), radix: 8)
        } else if text.count > 1 && text.hasPrefix("0") {
            magnitude = Int64(text.dropFirst(), radix: 8)
        } else if let value = Int64(text) {
            magnitude = value
        } else {
            // Beyond Int64: keep plain decimal digits as they are (JSON allows any length).
            return text.allSatisfy(\.isASCIIDigit) && !text.isEmpty ? (negative ? "-" : "") + text : nil
        }
        guard let magnitude else { return nil }
        return (negative && magnitude != 0 ? "-" : "") + String(magnitude)
    }

    /// `1.5`, `5e-5`, `1_000.0`, `.5`, `1.` → JSON text; `.inf` / `.nan` → `nil` (JSON has no spelling).
    static func floatLiteral(_ yaml: String) -> String? {
        var text = yaml.filter { $0 != "_" }
        if text.hasPrefix("+") { text.removeFirst() }
        if isJSONNumber(text) { return text }
        guard !text.contains(":"), let value = Double(text), value.isFinite else { return nil }
        return "\(value)"
    }

    /// Whether `text` is exactly a JSON number literal (RFC 8259 grammar).
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, b >= 0x30 && b <= 0x39 { bytes.removeFirst(); n += 1 }
            return n
        }
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes.removeFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Character {
    var isASCIIHexDigit: Bool { isASCII && isHexDigit }
}
