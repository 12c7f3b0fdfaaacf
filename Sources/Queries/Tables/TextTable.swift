/// An aligned text table that fits a terminal: a header, a rule, one or more lines per row; no trailing spaces.
///
/// Without a width (``TableLayout/width`` nil) every value is printed whole. With one, no line is wider:
/// the default columns are taken in ``TableColumn/dropOrder`` until one does not fit (the rest are reported in
/// ``RenderedTable/leftOut``), text cells are cut with `…`, words wrap at spaces, and identifiers, numbers and
/// hashes (12 characters) are never cut: as a last resort they wrap onto further lines of their row. Widths
/// count characters. Line breaks and tabs inside a cell show as `\n` and `\t`.
public enum TextTable {
    public static func render(
        _ columns: [TableColumn], _ rows: [[String]], layout: TableLayout
    ) throws
        -> RenderedTable
    {
        let (chosen, fixed) = try choose(columns, layout)
        let specs = chosen.map { columns[$0] }
        let headers = specs.map { Cell($0.header) }
        let cells = rows.map { row in
            chosen.enumerated().map { p, i in
                let text = i < row.count ? row[i] : ""
                return Cell(specs[p].kind == .hash ? layout.hash(text) : text)
            }
        }
        var natural = headers.map(\.width)
        for row in cells { for (p, cell) in row.enumerated() { natural[p] = max(natural[p], cell.width) } }
        var shown = Array(specs.indices)
        var widths = natural
        var leftOut: [String] = []
        if let width = layout.width {
            shown = fit(specs, natural: natural, width: width, fixed: fixed, widths: &widths)
            leftOut = specs.indices.filter { !shown.contains($0) }.map { specs[$0].key }
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 2) * 64)
        let rule = shown.map { Cell(String(repeating: "-", count: widths[$0])) }
        let numeric = shown.map { specs[$0].kind == .number }
        let shownWidths = shown.map { widths[$0] }
        appendRow(shown.map { headerCell(headers[$0], widths[$0]) }, widths: shownWidths, numeric: numeric, to: &out)
        appendRow(rule.map { [$0] }, widths: shownWidths, numeric: numeric, to: &out)
        for row in cells {
            let parts = shown.map { p in lines(row[p], width: widths[p], kind: specs[p].kind) }
            appendRow(parts, widths: shownWidths, numeric: numeric, to: &out)
        }
        return RenderedTable(text: String(decoding: out, as: UTF8.self), leftOut: leftOut)
    }

    /// The columns asked for, as indices into `columns`; `fixed` when the user chose them (`--columns`,
    /// `--wide`), so none is left out to fit unless nothing else can.
    static func choose(_ columns: [TableColumn], _ layout: TableLayout) throws -> (indices: [Int], fixed: Bool) {
        if let wanted = layout.columns {
            var out: [Int] = []
            for raw in wanted {
                let name = String(raw.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                guard let i = columns.firstIndex(where: { $0.key == name || $0.header == name }) else {
                    throw TableError(
                        "--columns: no column '\(name)'; the columns are "
                            + columns.map(\.key).joined(separator: ", "))
                }
                if !out.contains(i) { out.append(i) }
            }
            guard !out.isEmpty else {
                throw TableError("--columns: name at least one of " + columns.map(\.key).joined(separator: ", "))
            }
            return (out, true)
        }
        if layout.wide { return (Array(columns.indices), true) }
        return (columns.indices.filter { columns[$0].shownByDefault }, false)
    }

    /// The positions shown, and their widths (in `widths`), so that a line is at most `width` characters.
    static func fit(_ specs: [TableColumn], natural: [Int], width: Int, fixed: Bool, widths: inout [Int]) -> [Int] {
        let minimum = specs.indices.map { specs[$0].minimumWidth(natural: natural[$0]) }
        var shown: [Int]
        if fixed {
            shown = Array(specs.indices)
        } else {
            // Most important first, while their narrowest forms fit: the first that does not ends the choice, so
            // a less important column never shows without a more important one.
            let order = specs.indices.sorted { (specs[$0].dropOrder, $0) < (specs[$1].dropOrder, $1) }
            var used = -2
            var taken = Set<Int>()
            for p in order {
                guard specs[p].dropOrder == 0 || taken.isEmpty || used + 2 + minimum[p] <= width else { break }
                taken.insert(p)
                used += 2 + minimum[p]
            }
            shown = specs.indices.filter { taken.contains($0) }
        }
        func total() -> Int { shown.reduce(-2) { $0 + 2 + widths[$1] } }
        // Narrow the widest cuttable column first, then, when that is not enough, everything down to 1.
        func shrink(_ eligible: (Int) -> Bool, floor: (Int) -> Int) {
            var excess = total() - width
            while excess > 0 {
                guard
                    let p = shown.filter({ eligible($0) && widths[$0] > floor($0) }).max(by: { widths[$0] < widths[$1] }
                    )
                else { return }
                widths[p] -= 1
                excess -= 1
            }
        }
        shrink({ specs[$0].kind == .text || specs[$0].kind == .words }, floor: { minimum[$0] })
        shrink({ _ in true }, floor: { _ in 1 })
        // More columns than characters: keep the leftmost ones.
        while total() > width && shown.count > 1 { shown.removeLast() }
        if total() > width, let only = shown.first { widths[only] = width }
        return shown
    }

    /// The header, cut with `…` when its column is narrower (a header is a label, not a value).
    static func headerCell(_ header: Cell, _ width: Int) -> [Cell] {
        [header.width <= width ? header : Cell(cut(header.text, width))]
    }

    /// The lines a cell takes in a column of `width` characters.
    static func lines(_ cell: Cell, width: Int, kind: TableColumn.Kind) -> [Cell] {
        guard cell.width > width else { return [cell] }
        switch kind {
        case .text: return [Cell(cut(cell.text, width))]
        case .words: return wrapWords(cell.text, width).map(Cell.init)
        case .identifier, .number, .hash: return chunks(cell.text, width).map(Cell.init)
        }
    }

    static func cut(_ text: String, _ width: Int) -> String {
        width <= 1 ? "…" : String(text.prefix(width - 1)) + "…"
    }

    /// `text` in pieces of `width` characters.
    static func chunks(_ text: String, _ width: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            out.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return out.isEmpty ? [""] : out
    }

    /// `text` in lines of at most `width` characters, broken at spaces; a longer word is broken in pieces.
    static func wrapWords(_ text: String, _ width: Int) -> [String] {
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let pieces = word.count > width ? chunks(String(word), width) : [String(word)]
            for piece in pieces {
                if line.isEmpty {
                    line = piece
                } else if line.count + 1 + piece.count <= width {
                    line += " " + piece
                } else {
                    out.append(line)
                    line = piece
                }
            }
        }
        out.append(line)
        return out
    }

    /// Appends a row: its cells' lines side by side, padded to the widths, numbers on the right.
    static func appendRow(_ parts: [[Cell]], widths: [Int], numeric: [Bool], to out: inout [UInt8]) {
        let height = parts.map(\.count).max() ?? 1
        for l in 0..<max(1, height) {
            for (i, width) in widths.enumerated() {
                if i > 0 { out.append(contentsOf: [0x20, 0x20]) }
                let cell = l < parts[i].count ? parts[i][l] : Cell.empty
                let padding = max(0, width - cell.width)
                if numeric[i] { out.append(contentsOf: repeatElement(0x20, count: padding)) }
                out.append(contentsOf: cell.text.utf8)
                if !numeric[i] { out.append(contentsOf: repeatElement(0x20, count: padding)) }
            }
            while out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }
    }

    /// A cell's text (control characters shown escaped) and its width in characters.
    struct Cell {
        let text: String
        let width: Int

        static let empty = Cell("")

        init(_ raw: String) {
            // Built as bytes elsewhere: tens of thousands of cells, ASCII nearly always, measured without
            // segmenting.
            let ascii = raw.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
            let plain = raw.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
            text = plain ? raw : Self.escaped(raw)
            width = ascii && plain ? raw.utf8.count : text.count
        }

        /// Line breaks and tabs as `\n`, `\r`, `\t`; other control characters as `\u{..}`.
        static func escaped(_ raw: String) -> String {
            var out = ""
            for scalar in raw.unicodeScalars {
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }
}
