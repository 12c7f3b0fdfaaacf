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
/// against the stored row's key, so a hash collision costs a lookup, never a wrong row. New rows wait in
/// `PendingRows` and go in 32 at a time; the owner flushes them before its transaction commits. Their
/// rowids are known in advance (SQLite gives an appended row the largest rowid plus one), and `flush`
/// checks that SQLite agreed.
///
/// The two modes are told apart by which optionals are set (`rowids`/`pending` in append mode, `insert`
/// otherwise) rather than by an enum with the statements as payloads: switching over that enum for every
/// row measured 5% slower on a million-event catch-up (reference counting of the payloads).
final class KeyedUpsert {
    private let database: SQLiteDatabase
    private let table: KeyedTable
    /// Not appendOnly: the insert offered first (appendOnly inserts through `pending`).
    private let insert: SQLiteStatement?
    private let upsert: SQLiteStatement
    /// appendOnly: rowid by key hash, for every key in the table (read from it at the start: empty, or
    /// this catch-up's committed rows), and by exact key for keys whose hash another key had first.
    private var rowids: RowidTable?
    private var collided: [[UInt8]: Int64] = [:]
    private var keyOfRow: SQLiteStatement?
    /// appendOnly: new rows not inserted yet, and the rowid the next one will get.
    private let pending: PendingRows?
    private var nextRowid: Int64 = 1

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
            pending = nil
            return
        }
        pending = PendingRows(database, table: table.name, columns: table.columns)
        insert = nil
        let values = table.columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        upsert = try database.cachedStatement(
            "UPDATE \(table.name) SET (\(columns)) = (\(values)) WHERE rowid = ?\(table.columns.count + 1)")
        let keyOfRow = try database.cachedStatement(
            "SELECT \(table.key.0), \(table.key.1) FROM \(table.name) WHERE rowid = ?")
        self.keyOfRow = keyOfRow
        var rowids = RowidTable()
        let select = try database.prepare("SELECT \(table.key.0), \(table.key.1), rowid FROM \(table.name)")
        defer { select.reset() }
        let row = SQLiteRow(handle: select.handle)
        while try select.step() {
            let key = Self.key(row)
            let hash = key.withUnsafeBufferPointer { KeyHash.of($0) }
            if rowids[hash] == nil { rowids[hash] = row.int64(2) } else { collided[key] = row.int64(2) }
        }
        self.rowids = rowids
        nextRowid =
            try database.prepare("SELECT coalesce(max(rowid), 0) + 1 FROM \(table.name)").scalar()?.int64Value ?? 1
    }

    /// Stores one row from `fields`: `bind` adds the values of the table's columns, in order (a second
    /// time, for the update, when the key already exists).
    func run(_ fields: inout PayloadFields, _ bind: (inout Parameters, inout PayloadFields) throws -> Void) throws {
        guard let rowids else {
            guard let insert else { return }
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
            // The stored row (or the one it collides with) may still be pending: insert those first.
            try flush()
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
        guard let pending else { return }
        var p = Parameters(pending)
        do {
            try bind(&p, &fields)
            try pending.endRow()
        } catch {
            pending.dropRow()
            throw error
        }
        let rowid = nextRowid
        nextRowid += 1
        if let exact { collided[exact] = rowid } else { self.rowids?[hash] = rowid }
        if pending.isFull { try flush() }
    }

    /// Inserts the rows waiting in append mode; the owner calls it before its transaction commits.
    func flush() throws(ProjectionError) {
        guard let pending, pending.count > 0 else { return }
        try pending.flush()
        guard database.lastInsertRowID == nextRowid - 1 else {
            throw ProjectionError(
                .sqlite,
                "\(table.name): appended rows got rowids up to \(database.lastInsertRowID), expected \(nextRowid - 1)",
                path: database.path)
        }
    }

    /// Forgets the rows waiting in append mode (their transaction is rolled back).
    ///
    /// Their keys stay in `rowids`, so the owner must not go on applying events after a rollback: a
    /// failed batch ends the catch-up, and the next one starts from the table as committed.
    func discard() {
        guard let pending, pending.count > 0 else { return }
        nextRowid -= Int64(pending.count)
        pending.discard()
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
