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
    /// appendOnly: new rows not inserted yet (moved into `Parameters` while a row is bound), the statements
    /// that insert them by row count, and the rowid the next one will get.
    private var pending: PendingRows?
    private var inserts: [SQLiteStatement?] = Array(repeating: nil, count: PendingRows.capacity + 1)
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
        pending = PendingRows(columns: table.columns.count)
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
            let key = Self.key(row.string(0) ?? "", row.string(1) ?? "")
            let hash = key.withUnsafeBufferPointer { KeyHash.of($0) }
            if rowids[hash] == nil { rowids[hash] = row.int64(2) } else { collided[key] = row.int64(2) }
        }
        self.rowids = rowids
        nextRowid =
            try database.prepare("SELECT coalesce(max(rowid), 0) + 1 FROM \(table.name)").scalar()?.int64Value ?? 1
    }

    /// Stores one row whose key columns hold `first` and `second`: `bind` adds the values of the table's
    /// columns, in order (a second time, for the update, when the key already exists). True when the row is
    /// new, false when it replaced the row of an existing key.
    @discardableResult
    func run(_ first: String, _ second: String, _ bind: (inout Parameters) throws -> Void) throws -> Bool {
        guard rowids != nil else {
            guard let insert else { return false }
            var p = Parameters(insert)
            try bind(&p)
            try p.execute()
            guard database.changes == 0 else { return true }
            var again = Parameters(upsert)
            try bind(&again)
            try again.execute()
            return false
        }
        var first = first
        var second = second
        let hash = first.withUTF8 { a in second.withUTF8 { b in KeyHash.of(a, b) } }
        var exact: [UInt8]?
        var existing: Int64?
        if let rowid = rowids?[hash] {
            // The stored row (or the one it collides with) may still be pending: insert those first.
            try flush()
            let key = Self.key(first, second)
            existing = try storedKey(rowid) == key ? rowid : collided[key]
            if existing == nil { exact = key }
        }
        if let existing {
            var p = Parameters(upsert)
            try bind(&p)
            try p.add(existing)
            try p.execute()
            return false
        }
        // The buffer moves out of the class into the local `Parameters` for the row and back after it.
        guard let taken = pending else { return false }
        pending = nil
        var p = Parameters(collecting: consume taken)
        var failure: (any Error)?
        do { try bind(&p) } catch { failure = error }
        var rows = p.takeRows()
        if failure == nil {
            do { try rows.endRow(table: table.name) } catch { failure = error }
        }
        if let failure {
            rows.dropRow()
            pending = rows
            throw failure
        }
        let full = rows.isFull
        pending = consume rows
        let rowid = nextRowid
        nextRowid += 1
        if let exact { collided[exact] = rowid } else { rowids?[hash] = rowid }
        if full { try flush() }
        return true
    }

    /// Inserts the rows waiting in append mode; the owner calls it before its transaction commits.
    func flush() throws(ProjectionError) {
        guard let count = pending?.count, count > 0 else { return }
        let statement: SQLiteStatement
        if let s = inserts[count] {
            statement = s
        } else {
            let row = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
            statement = try database.cachedStatement(
                "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: row, count: count).joined(separator: ", "))
            inserts[count] = statement
        }
        try pending?.flush(into: statement)
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
    /// failed batch ends the replay, and the next one starts from the table as committed.
    func discard() {
        guard let count = pending?.count, count > 0 else { return }
        nextRowid -= Int64(count)
        pending?.discard()
    }

    private func storedKey(_ rowid: Int64) throws(ProjectionError) -> [UInt8] {
        guard let keyOfRow else { return [] }
        try keyOfRow.bind(1, rowid)
        defer { keyOfRow.reset() }
        guard try keyOfRow.step() else { return [] }
        let row = SQLiteRow(handle: keyOfRow.handle)
        return Self.key(row.string(0) ?? "", row.string(1) ?? "")
    }

    /// A two-part key as bytes: the first part, 0xFF (never in UTF-8), the second.
    private static func key(_ first: String, _ second: String) -> [UInt8] {
        Array(first.utf8) + [0xFF] + Array(second.utf8)
    }
}
