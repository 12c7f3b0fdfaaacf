import SmithJSON

/// Formats query results for machines: JSON or CSV (SmithQueries' `SQLTable` prints the table for people).
public enum QueryOutput {
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

    /// CSV as RFC 4180 quotes it: a header record, then one record per row, each ended by LF (which RFC 4180
    /// allows, and pandas, Python's csv module and Unix tools expect); nothing after the last record.
    ///
    /// A field is quoted when it holds a comma, a double quote, CR or LF (quotes doubled inside). NULL is an
    /// empty field; a blob is lowercase hex. A statement without columns gives no output at all.
    public static func csv(columns: [String], rows: [[SQLValue]]) -> String {
        guard !columns.isEmpty else { return "" }
        var out = columns.map(csvField).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { csvField(plainText($0) ?? "") }.joined(separator: ",") + "\n"
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

    /// `bytes` as lowercase hex, two digits each (a blob cell's text in every output format).
    package static func hex(_ bytes: [UInt8]) -> String {
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
