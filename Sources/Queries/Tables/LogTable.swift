import SmithDomain
public import SmithStore

/// `smithlog log`'s table, printed a line at a time while the log is read (it may hold millions of events).
///
/// The widths are known before the first event: seq from the last seq, time and id fixed, type from the
/// event types this release knows; the stream, last, takes what is left of the line and wraps when longer.
/// When the line is narrow the id goes first, then the time.
public struct LogTable: Sendable {
    static let columns = [
        TableColumn("seq", .number), TableColumn("recorded_at", .identifier, drop: 2),
        TableColumn("type", .identifier), TableColumn("id", .hash, drop: 3), TableColumn("stream", .identifier),
    ]
    /// With events pulled from other stores: who recorded each one there (`actor`, origin store's first 8 hex
    /// digits, `#` its seq there); empty for this store's own.
    static let originColumn = TableColumn("origin", .identifier, drop: 4)
    /// The stream width planned for when choosing columns: most streams (`run/NAME`, `instance/ID`) fit.
    static let plannedStreamWidth = 56
    /// The stream column is never made narrower than this while other columns are wider.
    static let narrowestStream = 16

    let specs: [TableColumn]
    let widths: [Int]
    let layout: TableLayout

    /// Throws `TableError` for an unknown `--columns`. `showOrigin`: the log holds events pulled from other
    /// stores, and the table gets an `origin` column.
    public init(layout: TableLayout, lastSeq: UInt64, showOrigin: Bool = false) throws {
        let columns = showOrigin ? Self.columns + [Self.originColumn] : Self.columns
        let (chosen, fixed) = try TextTable.choose(columns, layout)
        let all = chosen.map { columns[$0] }
        let typeWidth = EventCatalog.all.map { $0.eventType.rawValue.count }.max() ?? 20
        let natural = all.map { column -> Int in
            switch column.key {
            case "seq": return max(3, String(lastSeq).count)
            case "recorded_at": return TableTime.iso(milliseconds: 0).count
            case "type": return max(4, typeWidth)
            case "origin": return 40
            case "id": return layout.width == nil ? 64 : TableLayout.shortHash
            default: return Self.plannedStreamWidth
            }
        }
        guard let width = layout.width else {
            specs = all
            widths = natural
            self.layout = layout
            return
        }
        var planned = natural
        let shown = TextTable.fit(all, natural: natural, width: width, fixed: fixed, widths: &planned)
        // Laid out with the stream at its narrowest, so that only a line too narrow for that narrows the other
        // columns; then the stream takes what is left.
        let kept = shown.map { all[$0] }
        var narrow = shown.map { natural[$0] }
        if let stream = kept.firstIndex(where: { $0.key == "stream" }) {
            narrow[stream] = min(narrow[stream], Self.narrowestStream)
        }
        let fitted = TextTable.fit(kept, natural: narrow, width: width, fixed: true, widths: &narrow)
        var final = fitted.map { narrow[$0] }
        if let stream = fitted.firstIndex(where: { kept[$0].key == "stream" }) {
            final[stream] += max(0, width - final.reduce(-2) { $0 + 2 + $1 })
        }
        specs = fitted.map { kept[$0] }
        widths = final
        self.layout = layout
    }

    /// The header and its rule, each ending in a newline.
    public var header: String {
        var out: [UInt8] = []
        let numeric = specs.map { $0.kind == .number }
        let heads = specs.indices.map { TextTable.headerCell(TextTable.Cell(specs[$0].header), widths[$0]) }
        TextTable.appendRow(heads, widths: widths, numeric: numeric, to: &out)
        TextTable.appendRow(
            widths.map { [TextTable.Cell(String(repeating: "-", count: $0))] }, widths: widths, numeric: numeric,
            to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One event's line (more when its stream wraps), ending in a newline.
    public func lines(_ e: RecordedEvent) -> String {
        let parts = specs.indices.map { i -> [TextTable.Cell] in
            let text: String
            switch specs[i].key {
            case "seq": text = String(e.seq)
            case "recorded_at": text = TableTime.iso(milliseconds: e.recordedAt)
            case "type": text = e.type
            case "id": text = layout.hash(e.id.hex)
            case "origin": text = e.origin.map { "\(e.actor) \($0.store.hex.prefix(8))#\($0.seq)" } ?? ""
            default: text = e.stream
            }
            let cell = TextTable.Cell(text)
            return layout.width == nil ? [cell] : TextTable.lines(cell, width: widths[i], kind: specs[i].kind)
        }
        var out: [UInt8] = []
        TextTable.appendRow(parts, widths: widths, numeric: specs.map { $0.kind == .number }, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
