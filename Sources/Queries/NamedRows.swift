import SmithDomain
import SmithProjections

/// One version's row of a named thing's table, found by `NAME` or `NAME@N`.
///
/// `NAME@N` is version N (retracted or not); a bare `NAME` is the row marked `latest` (the newest version not
/// retracted, or the newest when all are), as `EventLog.resolve` reads the log.
struct NamedRow {
    var kind: NamedKind
    var name: String
    var version: Int64
    var columns: [(String, SQLValue)]

    subscript(_ column: String) -> SQLValue { columns.first { $0.0 == column }?.1 ?? .null }

    /// `name@N`.
    var label: String { "\(name)@\(version)" }

    /// Why it was retracted, nil while it stands.
    var retraction: String? { self["retracted"].stringValue }

    /// The row `name` means in `kind`'s table, nil when there is none.
    static func find(_ name: VersionedName, _ kind: NamedKind, _ p: ProjectionEngine) throws -> NamedRow? {
        let table = NamedTables.table(of: kind)
        let r: (columns: [String], rows: [[SQLValue]])
        if let version = name.version {
            r = try p.query(
                sql: "SELECT * FROM \(table) WHERE name = ? AND version = ?",
                arguments: [.text(name.name), .integer(Int64(version))])
        } else {
            r = try p.query(sql: "SELECT * FROM \(table) WHERE name = ? AND latest = 1", arguments: [.text(name.name)])
        }
        guard let values = r.rows.first else { return nil }
        let columns = Array(zip(r.columns, values))
        let version = columns.first { $0.0 == "version" }?.1.int64Value ?? 0
        return NamedRow(kind: kind, name: name.name, version: version, columns: columns)
    }

    /// The row a recorded reference pins: its text (`NAME` or `NAME@N`) and pinned version column.
    static func pinned(
        _ reference: SQLValue, _ version: SQLValue, _ kind: NamedKind, _ p: ProjectionEngine
    ) throws
        -> NamedRow?
    {
        guard let text = reference.stringValue, let n = version.int64Value else { return nil }
        return try find(VersionedName(name: VersionedName(parsing: text).name, version: Int(n)), kind, p)
    }

    /// Throws the not-found error (exit 3) for `name`.
    static func notFound(_ name: VersionedName, _ what: String) -> NameError {
        NameError(.notFound, "'\(name)' is not a recorded \(what)")
    }
}
