import SmithJSON
public import SmithProjections

/// `smithlog sft list`: the SFT dataset versions recorded, retracted ones left out unless asked for.
public enum SftList {
    /// One row per version (name, then version), every value whole; with `includeRetracted`, retracted
    /// versions too, their `retracted` column giving the reason.
    public static func rows(
        includeRetracted: Bool = false, projections: ProjectionEngine
    ) throws -> (
        columns: [String], rows: [[SQLValue]]
    ) {
        try projections.query(
            sql: """
                SELECT name, version, latest, style, transform, lines, traj_run, eval_run, file_name,
                    export_sha256\(includeRetracted ? ", retracted" : "")
                FROM sft_datasets\(includeRetracted ? "" : " WHERE retracted IS NULL") ORDER BY name, version
                """)
    }

    /// The table's columns by key: name and version always, the inputs as the width allows, the export's
    /// hash shortened to 12 characters.
    static let columns: [String: TableColumn] = [
        "name": TableColumn("name", .identifier), "version": TableColumn("version", .number),
        "latest": TableColumn("latest", .number, drop: 10, byDefault: false),
        "style": TableColumn("style", .identifier, drop: 9, byDefault: false),
        "transform": TableColumn("transform", .identifier, drop: 3), "lines": TableColumn("lines", .number, drop: 1),
        "traj_run": TableColumn("traj_run", .identifier, drop: 4),
        "eval_run": TableColumn("eval_run", .identifier, drop: 5),
        "file_name": TableColumn("file_name", .text, drop: 7),
        "export_sha256": TableColumn("export_sha256", .hash, drop: 6),
        "retracted": TableColumn("retracted", .text, drop: 2),
    ]

    /// `rows`' result as an aligned table fitted to `layout` (throws `TableError` for an unknown `--columns`).
    public static func table(
        _ r: (columns: [String], rows: [[SQLValue]]), layout: TableLayout
    ) throws
        -> RenderedTable
    {
        let specs = r.columns.map { columns[$0] ?? TableColumn($0, .text, drop: 8) }
        let cells = r.rows.map { row in row.map { $0.isNull ? "" : SQLTable.text($0) } }
        return try TextTable.render(specs, cells, layout: layout)
    }

    /// `rows`' result as `sql --json` prints one (a list of objects, one a line): values whole, `latest` a
    /// JSON boolean, NULL as null.
    public static func json(_ r: (columns: [String], rows: [[SQLValue]])) -> String {
        guard !r.rows.isEmpty else { return "[]\n" }
        let objects = r.rows.map { row in
            JSONValue.object(
                zip(r.columns, row).map { column, value in
                    (column, column == "latest" ? value.int64Value.map { .bool($0 != 0) } ?? .null : value.jsonValue)
                })
        }
        return "[\n" + objects.map { "  " + PythonJSON.dumps($0, ensureASCII: false) }.joined(separator: ",\n")
            + "\n]\n"
    }
}
