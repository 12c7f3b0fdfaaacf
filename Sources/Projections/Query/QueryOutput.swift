import SmithJSON

/// Formats query results for the CLI: an aligned table, JSON, or CSV.
public enum QueryOutput {
    /// An aligned text table: a header, a rule, one line per row; no trailing spaces.
    ///
    /// Numeric columns (and their headers) are right-aligned. NULL shows as `NULL`, blobs as `x'hex'`, line
    /// breaks and tabs inside text as `\n` and `\t`; cells wider than `maxColumnWidth` characters end in `…`.
    public static func table(columns: [String], rows: [[SQLValue]], maxColumnWidth: Int = 60) -> String {
        let limit = max(1, maxColumnWidth)
        let cells = rows.map { row in row.map { TableCell(clip(tableText($0), limit)) } }
        let header = columns.map { TableCell(clip($0, limit)) }
        var widths = header.map(\.width)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.width) }
        }
        let numeric = columns.indices.map { i in
            rows.contains { i < $0.count && !$0[i].isNull }
                && rows.allSatisfy { row in
                    guard i < row.count else { return true }
                    switch row[i] {
                    case .integer, .real, .null: return true
                    default: return false
                    }
                }
        }
        // Built as bytes: tens of thousands of rows went through String padding and trimming at a few
        // hundred a millisecond, slower than the query itself.
        var out: [UInt8] = []
        func line(_ values: [TableCell]) {
            for (i, width) in widths.enumerated() {
                if i > 0 { out.append(contentsOf: [0x20, 0x20]) }
                let value = i < values.count ? values[i] : TableCell("")
                let padding = max(0, width - value.width)
                if numeric[i] { out.append(contentsOf: repeatElement(0x20, count: padding)) }
                out.append(contentsOf: value.text.utf8)
                if !numeric[i] { out.append(contentsOf: repeatElement(0x20, count: padding)) }
            }
            while out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }
        line(header)
        out.append(contentsOf: widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ").utf8)
        out.append(0x0A)
        for row in cells { line(row) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A cell's text and its width in characters (ASCII, nearly always, is measured without segmenting).
    private struct TableCell {
        let text: String
        let width: Int

        init(_ text: String) {
            self.text = text
            width = QueryOutput.displayWidth(text)
        }
    }

    private static func displayWidth(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
        return ascii ? text.utf8.count : text.count
    }

    /// True when the text holds a byte `tableText` escapes.
    private static func needsEscapes(_ text: String) -> Bool {
        func escaped(_ c: UInt8) -> Bool { c == UInt8(ascii: "\\") || c == 10 || c == 13 || c == 9 }
        return text.utf8.withContiguousStorageIfAvailable { $0.contains(where: escaped) }
            ?? text.utf8.contains(where: escaped)
    }

    /// A JSON array with one object per row, keys in column order, followed by a newline.
    ///
    /// Integers and reals are numbers (non-finite reals are null), text is a string, NULL is null, and a
    /// blob is a string of lowercase hex.
    public static func json(columns: [String], rows: [[SQLValue]]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        var out = "[\n"
        for (index, row) in rows.enumerated() {
            let object = JSONValue.object(
                columns.enumerated().map { i, name in (name, i < row.count ? jsonValue(row[i]) : .null) })
            out += "  " + PythonJSON.dumps(object, ensureASCII: false)
            out += index == rows.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    /// RFC 4180 CSV: a header record, then one record per row, each ended by CRLF.
    ///
    /// A field is quoted when it holds a comma, a double quote, CR or LF (quotes doubled inside). NULL is an
    /// empty field; a blob is lowercase hex.
    public static func csv(columns: [String], rows: [[SQLValue]]) -> String {
        var out = columns.map(csvField).joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.map { csvField(plainText($0) ?? "") }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    // MARK: Cells

    /// The value as plain text (reals as Python's repr); nil for NULL.
    static func plainText(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return PythonFloat.repr(v)
        case .text(let v): return v
        case .blob(let v): return hex(v)
        }
    }

    private static func tableText(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .blob(let v): return "x'" + hex(v) + "'"
        case .text(let v):
            guard needsEscapes(v) else { return v }
            return v.replacingAll("\\", "\\\\").replacingAll("\n", "\\n").replacingAll("\r", "\\r")
                .replacingAll("\t", "\\t")
        default: return plainText(value) ?? ""
        }
    }

    private static func jsonValue(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let v): return .int(v)
        case .real(let v): return v.isFinite ? .number(PythonFloat.repr(v)) : .null
        case .text(let v): return .string(v)
        case .blob(let v): return .string(hex(v))
        }
    }

    private static func csvField(_ text: String) -> String {
        let needsQuotes = text.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10
        }
        return needsQuotes ? "\"" + text.replacingAll("\"", "\"\"") + "\"" : text
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        displayWidth(text) <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free, for the formatters).
    fileprivate func replacingAll(_ target: Character, _ replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
