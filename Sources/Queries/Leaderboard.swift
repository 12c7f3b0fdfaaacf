import SmithDomain
public import SmithJSON
public import SmithProjections

/// `smithlog leaderboard`: benchmark results ranked by resolved %, with Wilson intervals, cost and lineage.
///
/// Each result name shows its latest version; retracted results are left out unless asked for, and then
/// shown marked (ranked with the rest).
public enum Leaderboard {
    /// One ranked result: its score of the full benchmark, the 95% Wilson interval (percent) and its lineage.
    public struct Row: Sendable {
        public var rank: Int
        public var name: String
        public var version: Int
        /// Why the result was retracted (only with `includeRetracted`), nil while it stands.
        public var retracted: String?
        public var model: String?
        public var checkpoint: String?
        public var checkpointVersion: Int?
        /// The checkpoint's base model, when the result is one of our checkpoints.
        public var baseModel: String?
        public var benchmark: String
        public var split: String
        public var resolved: Int
        public var total: Int
        public var resolvedPct: Double
        public var ciLow: Double
        public var ciHigh: Double
        public var cost: Double?
        public var sftDataset: String?
        public var sftDatasetVersion: Int?
        public var trajRun: String?
        public var trajRunVersion: Int?
        /// Infrastructure failures among the unresolved (counted apart from the model's); nil when not known.
        public var infra: Int? = nil
        /// The inference run whose predictions were scored, as recorded, and its pinned version.
        public var ofRun: String? = nil
        public var ofRunVersion: Int? = nil

        /// `name@N` of a pinned reference, the name alone when its version is unknown.
        static func label(_ name: String?, _ version: Int?) -> String? {
            guard let name else { return nil }
            let bare = VersionedName(parsing: name).name
            return version.map { "\(bare)@\($0)" } ?? name
        }

        /// The `--json` form: at least model, checkpoint, benchmark, resolved, total, resolved_pct, ci_low, ci_high.
        public var json: JSONValue {
            .object([
                ("rank", .int(rank)), ("name", .string(name)), ("version", .int(version)),
                ("model", model.map(JSONValue.string) ?? .null),
                ("checkpoint", checkpoint.map(JSONValue.string) ?? .null),
                ("checkpoint_version", checkpointVersion.map { .int($0) } ?? .null),
                ("base_model", baseModel.map(JSONValue.string) ?? .null), ("benchmark", .string(benchmark)),
                ("split", .string(split)), ("resolved", .int(resolved)), ("total", .int(total)),
                ("resolved_pct", .number(PythonFloat.repr(resolvedPct))),
                ("ci_low", .number(PythonFloat.repr(ciLow))), ("ci_high", .number(PythonFloat.repr(ciHigh))),
                ("cost", cost.map { .number(PythonFloat.repr($0)) } ?? .null),
                ("sft_dataset", sftDataset.map(JSONValue.string) ?? .null),
                ("sft_dataset_version", sftDatasetVersion.map { .int($0) } ?? .null),
                ("traj_run", trajRun.map(JSONValue.string) ?? .null),
                ("traj_run_version", trajRunVersion.map { .int($0) } ?? .null),
                ("retracted", retracted.map(JSONValue.string) ?? .null),
                ("infra", infra.map { .int($0) } ?? .null),
                ("of_run", ofRun.map(JSONValue.string) ?? .null),
                ("of_run_version", ofRunVersion.map { .int($0) } ?? .null),
            ])
        }
    }

    /// The `leaderboard` view's rows (ranked within each benchmark and split), optionally of one benchmark;
    /// with `includeRetracted`, retracted results too (`leaderboard_entries`), marked and ranked with the rest.
    public static func rows(
        benchmark: String?, includeRetracted: Bool = false, projections: ProjectionEngine
    ) throws -> [Row] {
        let columns = """
            rank, name, version, model, checkpoint, checkpoint_version, base_model, benchmark, split, resolved, total,
            resolved_pct, ci_low, ci_high, cost, sft_dataset, sft_dataset_version, traj_run, traj_run_version, retracted,
            infra, of_run, of_run_version
            """
        let source =
            includeRetracted
            ? """
            (SELECT rank() OVER (PARTITION BY benchmark, split ORDER BY resolved_pct DESC) AS rank, *
                FROM leaderboard_entries)
            """ : "leaderboard"
        let filter = benchmark == nil ? "" : " WHERE benchmark = ?"
        let r = try projections.query(
            sql: "SELECT \(columns) FROM \(source)\(filter) ORDER BY benchmark, split, rank, name",
            arguments: benchmark.map { [.text($0)] } ?? [])
        func int(_ v: SQLValue) -> Int? { v.int64Value.map(Int.init) }
        return r.rows.map { v in
            Row(
                rank: int(v[0]) ?? 0, name: v[1].stringValue ?? "", version: int(v[2]) ?? 0,
                retracted: v[19].stringValue, model: v[3].stringValue, checkpoint: v[4].stringValue,
                checkpointVersion: int(v[5]), baseModel: v[6].stringValue, benchmark: v[7].stringValue ?? "",
                split: v[8].stringValue ?? "", resolved: int(v[9]) ?? 0, total: int(v[10]) ?? 0,
                resolvedPct: v[11].doubleValue ?? 0, ciLow: v[12].doubleValue ?? 0, ciHigh: v[13].doubleValue ?? 0,
                cost: v[14].doubleValue, sftDataset: v[15].stringValue, sftDatasetVersion: int(v[16]),
                trajRun: v[17].stringValue, trajRunVersion: int(v[18]), infra: int(v[20]), ofRun: v[21].stringValue,
                ofRunVersion: int(v[22]))
        }
    }

    /// The table's columns: what matters most (rank, name, resolved %) is never left out; the lineage columns
    /// go first when the terminal is narrow.
    static func columns(_ rows: [Row]) -> [TableColumn] {
        [
            TableColumn("rank", .number), TableColumn("name", .identifier),
            TableColumn("model", .text, drop: 4), TableColumn("checkpoint", .identifier, drop: 7),
            TableColumn("benchmark", .identifier, drop: 5),
            TableColumn("split", .identifier, drop: 11, byDefault: false),
            TableColumn("resolved", .number, drop: 3), TableColumn("total", .number, drop: 6),
            TableColumn("resolved_pct", "resolved %", .number), TableColumn("ci", "95% CI", .number, drop: 1),
            TableColumn("infra", .number, drop: 12, byDefault: rows.contains { ($0.infra ?? 0) > 0 }),
            TableColumn("cost", .number, drop: 8), TableColumn("sft_dataset", "sft dataset", .identifier, drop: 9),
            TableColumn("traj_run", "traj run", .identifier, drop: 10),
            TableColumn("retracted", .text, drop: 2, byDefault: rows.contains { $0.retracted != nil }),
        ]
    }

    static func cells(_ r: Row) -> [String] {
        [
            String(r.rank), "\(r.name)@\(r.version)", r.model ?? r.baseModel.map { $0 + " (fine-tuned)" } ?? "",
            Row.label(r.checkpoint, r.checkpointVersion) ?? "", r.benchmark, r.split, String(r.resolved),
            String(r.total), Format.fixed(r.resolvedPct, 1),
            "\(Format.fixed(r.ciLow, 1))–\(Format.fixed(r.ciHigh, 1))", r.infra.map(String.init) ?? "",
            r.cost.map { "$" + Format.fixed($0, 2) } ?? "",
            Row.label(r.sftDataset, r.sftDatasetVersion) ?? "", Row.label(r.trajRun, r.trajRunVersion) ?? "",
            r.retracted ?? "",
        ]
    }

    /// The ranked rows as an aligned table fitted to `layout` (throws `TableError` for an unknown `--columns`).
    public static func table(_ rows: [Row], layout: TableLayout = .unlimited) throws -> RenderedTable {
        try TextTable.render(columns(rows), rows.map(cells), layout: layout)
    }

    /// A Markdown table of the default columns, every value whole.
    public static func markdown(_ rows: [Row]) -> String {
        let shown = columns(rows).enumerated().filter { $0.element.shownByDefault }
        var out = "| " + shown.map(\.element.header).joined(separator: " | ") + " |\n|"
        out += shown.map { _ in "---|" }.joined() + "\n"
        for r in rows {
            let c = cells(r)
            out += "| " + shown.map { c[$0.offset].replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ")
            out += " |\n"
        }
        return out
    }

    public static func csv(_ rows: [Row]) -> String {
        QueryOutput.csv(
            columns: [
                "rank", "name", "version", "model", "checkpoint", "checkpoint_version", "base_model", "benchmark",
                "split", "resolved", "total", "resolved_pct", "ci_low", "ci_high", "cost", "sft_dataset",
                "sft_dataset_version", "traj_run", "traj_run_version", "retracted", "infra", "of_run", "of_run_version",
            ],
            rows: rows.map { r in
                [
                    .integer(Int64(r.rank)), .text(r.name), SQLValue(r.version), SQLValue(r.model),
                    SQLValue(r.checkpoint), SQLValue(r.checkpointVersion), SQLValue(r.baseModel), .text(r.benchmark),
                    .text(r.split), .integer(Int64(r.resolved)), .integer(Int64(r.total)), .real(r.resolvedPct),
                    .real(r.ciLow), .real(r.ciHigh), SQLValue(r.cost), SQLValue(r.sftDataset),
                    SQLValue(r.sftDatasetVersion), SQLValue(r.trajRun), SQLValue(r.trajRunVersion),
                    SQLValue(r.retracted), SQLValue(r.infra), SQLValue(r.ofRun), SQLValue(r.ofRunVersion),
                ]
            })
    }
}

/// Small text-formatting helpers shared by the query commands.
public enum Format {
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        var s = String(Int((abs(v) * pow10(digits)).rounded()))
        while s.count <= digits { s = "0" + s }
        let cut = s.index(s.endIndex, offsetBy: -digits)
        return (v < 0 ? "-" : "") + (digits == 0 ? s : s[..<cut] + "." + s[cut...])
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }

    /// An aligned text table, every value whole (``TextTable`` fits a terminal).
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = ""
        writeTable(header, rows) { out += $0 }
        return out
    }

    /// ``table(_:_:)`` handed to `emit` about 64 KB at a time.
    ///
    /// `rows` is read twice, for the widths and then for the lines: a lazy collection makes each row's cells
    /// when they are needed, so a table of thousands of rows is never held whole, neither as cells nor as text.
    public static func writeTable(
        _ header: [String], _ rows: some Collection<[String]>, to emit: (String) -> Void
    ) {
        var widths = header.map(width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], width(c)) } }
        // Lines are made as UTF-8 bytes: a table of thousands of rows made as Strings spent most of its time
        // counting and appending Characters.
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + 4096)
        // The last cell is not padded: its padding would only be trimmed with the line's trailing spaces.
        func line(_ cells: [String]) {
            guard cells.allSatisfy(isPlainASCII) else {
                // Not ASCII: trailing spaces are trimmed as Characters, as they always were.
                var s = ""
                for (i, c) in cells.enumerated() {
                    if i > 0 { s += "  " }
                    s += c
                    if i < cells.count - 1 { s += String(repeating: " ", count: widths[i] - c.count) }
                }
                out.append(contentsOf: s.trimmingSuffixSpaces().utf8)
                out.append(UInt8(ascii: "\n"))
                return
            }
            let start = out.count
            for (i, c) in cells.enumerated() {
                if i > 0 { out.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
                out.append(contentsOf: c.utf8)
                if i < cells.count - 1 {
                    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[i] - c.utf8.count))
                }
            }
            while out.count > start && out[out.count - 1] == UInt8(ascii: " ") { out.removeLast() }
            out.append(UInt8(ascii: "\n"))
        }
        line(header)
        line(widths.map { String(repeating: "-", count: $0) })
        for r in rows {
            line(r)
            if out.count >= chunkSize {
                emit(String(decoding: out, as: UTF8.self))
                out.removeAll(keepingCapacity: true)
            }
        }
        emit(String(decoding: out, as: UTF8.self))
    }

    /// Bytes handed to `emit` at a time by ``writeTable(_:_:to:)``.
    static let chunkSize = 1 << 16

    /// A cell's width in Characters, as `count` gives it; without walking Characters when it is plain ASCII.
    static func width(_ s: String) -> Int {
        isPlainASCII(s) ? s.utf8.count : s.count
    }

    /// True when every byte is ASCII and none is a carriage return: then each byte is one Character (CR LF is
    /// the only pair of ASCII bytes that makes one Character).
    static func isPlainASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
    }
}

extension String {
    func trimmingSuffixSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
