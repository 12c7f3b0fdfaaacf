/// Stores rows of a `KeyedTable`: an insert-or-update by key, run as a plain insert whenever it can be.
///
/// The BEFORE UPDATE trigger that keeps replaced rows makes SQLite open a statement journal (copying
/// every page the statement touches) for any statement that may fire it, so a row is first offered to
/// `INSERT ... ON CONFLICT DO NOTHING`, which cannot; only when the key exists (a re-recording, a few
/// percent of events) does the full upsert run, trigger and all.
///
/// In `appendOnly` mode (a large catch-up into an empty table, key index dropped) rows are appended, and
/// the rowid of every key stored so far is kept here by `KeyHash`: a re-recording updates that row by
/// rowid, firing the same trigger, so the table ends up exactly as with the upsert. A hash hit is checked
/// against the stored row's key, so a hash collision costs a lookup, never a wrong row.
final class KeyedUpsert {
    private let database: SQLiteDatabase
    private let table: KeyedTable
    private let insert: SQLiteStatement
    private let upsert: SQLiteStatement
    /// appendOnly: rowid by key hash, for every key in the table (read from it at the start: empty, or
    /// this catch-up's committed rows), and by exact key for keys whose hash another key had first.
    private var rowids: [UInt64: Int64]?
    private var collided: [[UInt8]: Int64] = [:]
    private var keyOfRow: SQLiteStatement?

    init(_ context: ProjectionContext, _ table: KeyedTable) throws(ProjectionError) {
        let database = context.database
        let appendOnly = context.appendOnly.contains(table.name)
        self.database = database
        self.table = table
        let columns = table.columns.joined(separator: ", ")
        let head = """
            INSERT INTO \(table.name) (\(columns))
            VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))
            """
        guard appendOnly else {
            let conflict = " ON CONFLICT (\(table.key.0), \(table.key.1))"
            let updates = table.columns.dropFirst(2).map { "\($0) = excluded.\($0)" }
            insert = try database.cachedStatement(head + conflict + " DO NOTHING")
            upsert = try database.cachedStatement(
                head + conflict + " DO UPDATE SET " + updates.joined(separator: ", "))
            return
        }
        insert = try database.cachedStatement(head)
        let values = table.columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        upsert = try database.cachedStatement(
            "UPDATE \(table.name) SET (\(columns)) = (\(values)) WHERE rowid = ?\(table.columns.count + 1)")
        let keyOfRow = try database.cachedStatement(
            "SELECT \(table.key.0), \(table.key.1) FROM \(table.name) WHERE rowid = ?")
        self.keyOfRow = keyOfRow
        var rowids: [UInt64: Int64] = [:]
        rowids.reserveCapacity(1 << 16)
        let select = try database.prepare("SELECT \(table.key.0), \(table.key.1), rowid FROM \(table.name)")
        defer { select.reset() }
        let row = SQLiteRow(handle: select.handle)
        while try select.step() {
            let key = Self.key(row)
            let hash = key.withUnsafeBufferPointer { KeyHash.of($0) }
            if rowids[hash] == nil { rowids[hash] = row.int64(2) } else { collided[key] = row.int64(2) }
        }
        self.rowids = rowids
    }

    /// Stores one row from `fields`: `bind` adds the values of the table's columns, in order (a second
    /// time, for the update, when the key already exists).
    func run(_ fields: inout PayloadFields, _ bind: (inout Parameters, inout PayloadFields) throws -> Void) throws {
        guard let rowids else {
            var p = Parameters(insert)
            try bind(&p, &fields)
            try p.execute()
            guard database.changes == 0 else { return }
            var again = Parameters(upsert)
            try bind(&again, &fields)
            try again.execute()
            return
        }
        let hash = try fields.keyHash(table.key.0, table.key.1)
        var exact: [UInt8]?
        var existing: Int64?
        if let rowid = rowids[hash] {
            let key = try fields.key(table.key.0, table.key.1)
            existing = try storedKey(rowid) == key ? rowid : collided[key]
            if existing == nil { exact = key }
        }
        if let existing {
            var p = Parameters(upsert)
            try bind(&p, &fields)
            try p.add(existing)
            try p.execute()
            return
        }
        var p = Parameters(insert)
        try bind(&p, &fields)
        try p.execute()
        let rowid = database.lastInsertRowID
        if let exact { collided[exact] = rowid } else { self.rowids?[hash] = rowid }
    }

    private func storedKey(_ rowid: Int64) throws(ProjectionError) -> [UInt8] {
        guard let keyOfRow else { return [] }
        try keyOfRow.bind(1, rowid)
        defer { keyOfRow.reset() }
        guard try keyOfRow.step() else { return [] }
        return Self.key(SQLiteRow(handle: keyOfRow.handle))
    }

    /// The key of a row whose first two columns are the key columns (as `PayloadFields.key` makes it).
    private static func key(_ row: SQLiteRow) -> [UInt8] {
        Array((row.string(0) ?? "").utf8) + [0xFF] + Array((row.string(1) ?? "").utf8)
    }
}
