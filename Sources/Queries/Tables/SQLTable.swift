import SmithJSON
public import SmithProjections

/// `smithlog sql`'s table: any result set, its columns classified from their names and values.
///
/// Numbers are right-aligned; a column of long lowercase hex is a hash; JSON, conditions, paths, reasons and
/// any value with spaces or over 128 characters (longer than any name) is text that may be cut; the rest
/// (names, instance ids, seqs, streams) are identifiers, never cut. Every column is shown when it fits;
/// otherwise columns holding one value in every row go first (the query's condition, as a rule), then text,
/// then hashes, then the rightmost identifiers and numbers. The columns left out are reported.
public enum SQLTable {
    public static func render(columns: [String], rows: [[SQLValue]], layout: TableLayout) throws -> RenderedTable {
        let specs = columns.indices.map { column($0, name: columns[$0], rows: rows) }
        let cells = rows.map { row in columns.indices.map { i in i < row.count ? text(row[i]) : "" } }
        return try TextTable.render(specs, cells, layout: layout)
    }

    /// Columns whose values are prose or documents whatever they hold.
    static let textNames: Set<String> = [
        "condition", "reason", "retracted", "folder", "dir", "config_file", "data_files", "image_name", "created_at",
    ]

    static func column(_ index: Int, name: String, rows: [[SQLValue]]) -> TableColumn {
        var numbers = 0
        var texts = 0
        var hexes = 0
        var prose = name.hasSuffix("_json") || textNames.contains(name)
        let first = rows.first.flatMap { index < $0.count ? $0[index] : nil }
        var constant = rows.count > 1
        for row in rows where index < row.count {
            if constant && row[index] != first { constant = false }
            switch row[index] {
            case .integer, .real: numbers += 1
            case .null: break
            case .blob: prose = true
            case .text(let s):
                texts += 1
                if isHash(s) {
                    hexes += 1
                } else if s.utf8.count > 128 || s.utf8.contains(where: { $0 == 0x20 || $0 < 0x20 })
                    || s.hasPrefix("{") || s.hasPrefix("[")
                {
                    prose = true
                }
            }
        }
        let kind: TableColumn.Kind
        if texts == 0 && numbers > 0 {
            kind = .number
        } else if prose {
            kind = .text
        } else if hexes > 0 && hexes == texts && numbers == 0 {
            kind = .hash
        } else {
            kind = .identifier
        }
        let base: Int
        switch kind {
        case _ where constant: base = 4000
        case .text, .words: base = 3000
        case .hash: base = 2000
        case .identifier, .number: base = 1000
        }
        return TableColumn(name, name, kind, drop: base + index)
    }

    /// A SHA-256 or event id: 32 or more lowercase hex digits.
    static func isHash(_ s: String) -> Bool {
        s.utf8.count >= 32 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A value as the table shows it: NULL as `NULL`, a blob as `x'hex'`, reals as Python's repr; text with
    /// line breaks or tabs has them (and its backslashes) escaped.
    static func text(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .blob(let bytes): return "x'" + QueryOutput.hex(bytes) + "'"
        case .text(let s):
            guard s.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 9 }) else { return s }
            var out = ""
            for c in s.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default: out.unicodeScalars.append(c)
                }
            }
            return out
        case .integer(let v): return String(v)
        case .real(let v): return PythonFloat.repr(v)
        }
    }
}
