import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog subset export`: the subset's rows as SWE-smith writes `logs/experiments/<subset>.json`.
///
/// Exactly the bytes of Python's `json.dump(rows, f, indent=2)` for the rows as `json.load` read them,
/// in dataset order. Rows come from their blobs in the log, so the original dataset file is not needed.
public enum SubsetExport {
    public static func bytes(name: String, log: EventLog, projections: ProjectionEngine) throws -> [UInt8] {
        try projections.catchUp(log: log)
        let subset = try projections.query(
            sql: "SELECT dataset, definition FROM subsets WHERE name = \(SQLText.literal(name))")
        guard let row = subset.rows.first, let dataset = row[0].stringValue, let definition = row[1].stringValue else {
            throw IngestError("no subset named '\(name)' (see `smithlog sql \"SELECT name FROM subsets\"`)")
        }
        let shas = try projections.query(
            sql: """
                SELECT i.row_sha256, i.instance_id FROM subset_members m
                JOIN instances i ON i.dataset = \(SQLText.literal(dataset)) AND i.instance_id = m.instance_id
                WHERE m.subset = \(SQLText.literal(name)) AND m.definition = \(SQLText.literal(definition))
                ORDER BY m.position
                """)
        var rows: [JSONValue] = []
        rows.reserveCapacity(shas.rows.count)
        for r in shas.rows {
            guard let hex = r[0].stringValue, let digest = Digest(hex: hex) else { continue }
            let bytes = try log.blob(digest)
            do {
                rows.append(try JSONParser.parse(bytes))
            } catch {
                throw IngestError("row \(r[1].stringValue ?? "?") (blob \(hex)): \(error)")
            }
        }
        return PythonJSON.dumpBytes(.array(rows), ensureASCII: true, indent: 2)
    }
}
