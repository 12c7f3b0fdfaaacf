public import SmithJSON
public import SmithProjections

/// `smithlog leaderboard`: benchmark results ranked by resolved %, with Wilson intervals, cost and lineage.
public enum Leaderboard {
    /// One ranked result: its score of the full benchmark, the 95% Wilson interval (percent) and its lineage.
    public struct Row: Sendable {
        public var rank: Int
        public var name: String
        public var model: String?
        public var checkpoint: String?
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
        public var trajRun: String?

        /// The `--json` form: at least model, checkpoint, benchmark, resolved, total, resolved_pct, ci_low, ci_high.
        public var json: JSONValue {
            .object([
                ("rank", .int(rank)), ("name", .string(name)), ("model", model.map(JSONValue.string) ?? .null),
                ("checkpoint", checkpoint.map(JSONValue.string) ?? .null),
                ("base_model", baseModel.map(JSONValue.string) ?? .null), ("benchmark", .string(benchmark)),
                ("split", .string(split)), ("resolved", .int(resolved)), ("total", .int(total)),
                ("resolved_pct", .number(PythonFloat.repr(resolvedPct))),
                ("ci_low", .number(PythonFloat.repr(ciLow))), ("ci_high", .number(PythonFloat.repr(ciHigh))),
                ("cost", cost.map { .number(PythonFloat.repr($0)) } ?? .null),
                ("sft_dataset", sftDataset.map(JSONValue.string) ?? .null),
                ("traj_run", trajRun.map(JSONValue.string) ?? .null),
            ])
        }
    }

    /// The `leaderboard` view's rows (ranked within each benchmark and split), optionally of one benchmark.
    public static func rows(benchmark: String?, projections: ProjectionEngine) throws -> [Row] {
        let filter = benchmark.map { " WHERE benchmark = \(SQLText.literal($0))" } ?? ""
        let r = try projections.query(
            sql: """
                SELECT rank, name, model, checkpoint, benchmark, split, resolved, total, resolved_pct, ci_low, ci_high,
                cost, sft_dataset, traj_run, base_model FROM leaderboard\(filter)
                """)
        return r.rows.map { v in
            Row(
                rank: Int(v[0].int64Value ?? 0), name: v[1].stringValue ?? "", model: v[2].stringValue,
                checkpoint: v[3].stringValue, baseModel: v[14].stringValue, benchmark: v[4].stringValue ?? "",
                split: v[5].stringValue ?? "",
                resolved: Int(v[6].int64Value ?? 0), total: Int(v[7].int64Value ?? 0),
                resolvedPct: v[8].doubleValue ?? 0, ciLow: v[9].doubleValue ?? 0, ciHigh: v[10].doubleValue ?? 0,
                cost: v[11].doubleValue, sftDataset: v[12].stringValue, trajRun: v[13].stringValue)
        }
    }

    static let header = [
        "rank", "name", "model", "checkpoint", "benchmark", "resolved", "total", "resolved %", "95% CI", "cost",
        "sft dataset", "traj run",
    ]

    static func cells(_ r: Row) -> [String] {
        [
            String(r.rank), r.name, r.model ?? r.baseModel.map { $0 + " (fine-tuned)" } ?? "", r.checkpoint ?? "",
            r.benchmark, String(r.resolved),
            String(r.total), Format.fixed(r.resolvedPct, 1),
            "\(Format.fixed(r.ciLow, 1))–\(Format.fixed(r.ciHigh, 1))", r.cost.map { "$" + Format.fixed($0, 2) } ?? "",
            r.sftDataset ?? "", r.trajRun ?? "",
        ]
    }

    public static func table(_ rows: [Row]) -> String { Format.table(header, rows.map(cells)) }

    public static func markdown(_ rows: [Row]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
        for r in rows {
            out +=
                "| " + cells(r).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    public static func csv(_ rows: [Row]) -> String {
        QueryOutput.csv(
            columns: [
                "rank", "name", "model", "checkpoint", "base_model", "benchmark", "split", "resolved", "total",
                "resolved_pct",
                "ci_low", "ci_high", "cost", "sft_dataset", "traj_run",
            ],
            rows: rows.map { r in
                [
                    .integer(Int64(r.rank)), .text(r.name), SQLValue(r.model), SQLValue(r.checkpoint),
                    SQLValue(r.baseModel),
                    .text(r.benchmark), .text(r.split), .integer(Int64(r.resolved)), .integer(Int64(r.total)),
                    .real(r.resolvedPct), .real(r.ciLow), .real(r.ciHigh), SQLValue(r.cost), SQLValue(r.sftDataset),
                    SQLValue(r.trajRun),
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

    /// An aligned text table.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ").trimmingSuffixSpaces()
        }
        var out = line(header) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}

extension String {
    func trimmingSuffixSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
