import CSQLite

/// A prepared statement: bind values by 1-based index, step through rows, reset, repeat.
///
/// Reuse one statement for many executions (that is what makes bulk inserts fast); `execute` and
/// `forEachRow` reset it afterwards even when they throw, so it is always ready for the next use.
/// Not thread-safe, like the database it belongs to.
public final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection
    /// The SQL text this statement was prepared from.
    public let sql: String

    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws(ProjectionError) {
        var stmt: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        // The tail points into the temporary C string, so it is inspected inside the closure.
        let (rc, moreSQL) = sql.withCString { text -> (Int32, Bool) in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(connection.handle, text, -1, flags, &stmt, &tail)
            return (rc, tail.map(Self.hasMoreSQL) ?? false)
        }
        try connection.check(rc, "cannot prepare SQL")
        guard let stmt else {
            throw ProjectionError(.invalidQuery, "the SQL text holds no statement", path: connection.path)
        }
        if moreSQL {
            sqlite3_finalize(stmt)
            throw ProjectionError(
                .invalidQuery, "only one SQL statement can be run at a time (found more after the first ';')",
                path: connection.path)
        }
        self.handle = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// True when `tail` holds anything but white space, semicolons and comments.
    private static func hasMoreSQL(_ tail: UnsafePointer<CChar>) -> Bool {
        var p = tail
        while p.pointee != 0 {
            let c = UInt8(bitPattern: p.pointee)
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
                || c == UInt8(ascii: ";")
            {
                p += 1
            } else if c == UInt8(ascii: "-") && UInt8(bitPattern: p[1]) == UInt8(ascii: "-") {
                while p.pointee != 0 && UInt8(bitPattern: p.pointee) != UInt8(ascii: "\n") { p += 1 }
            } else if c == UInt8(ascii: "/") && UInt8(bitPattern: p[1]) == UInt8(ascii: "*") {
                p += 2
                while p.pointee != 0
                    && !(UInt8(bitPattern: p.pointee) == UInt8(ascii: "*")
                        && UInt8(bitPattern: p[1]) == UInt8(ascii: "/"))
                {
                    p += 1
                }
                if p.pointee != 0 { p += 2 }
            } else {
                return true
            }
        }
        return false
    }

    // MARK: Facts about the statement

    /// True when running the statement cannot change the database file (SQLite's own judgement).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The result column names, in order.
    public var columnNames: [String] {
        (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    // MARK: Binding (1-based indexes, as in SQL's ?1, ?2, ...)

    public func bind(_ index: Int, _ value: Int64) throws(ProjectionError) {
        try connection.check(sqlite3_bind_int64(handle, Int32(index), value), "cannot bind parameter \(index)")
    }

    public func bind(_ index: Int, _ value: Int64?) throws(ProjectionError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int, _ value: Double?) throws(ProjectionError) {
        guard let value else { return try bindNull(index) }
        try connection.check(sqlite3_bind_double(handle, Int32(index), value), "cannot bind parameter \(index)")
    }

    /// Binds 1 or 0 (SQLite has no boolean type).
    public func bind(_ index: Int, _ value: Bool?) throws(ProjectionError) {
        try bind(index, value.map { $0 ? Int64(1) : Int64(0) })
    }

    public func bind(_ index: Int, _ value: String?) throws(ProjectionError) {
        guard var value else { return try bindNull(index) }
        try value.withUTF8 { utf8 in Result { () throws(ProjectionError) in try bindText(index, utf8) } }.get()
    }

    /// Binds UTF-8 bytes as text (SQLite copies them), without making a String first.
    func bindText(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) throws(ProjectionError) {
        let rc: Int32
        if let base = utf8.baseAddress, utf8.count > 0 {
            rc = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text(handle, Int32(index), $0, Int32(utf8.count), smith_sqlite_transient())
            }
        } else {
            // A nil base address (empty text) would bind NULL, so bind a copied empty text instead.
            rc = sqlite3_bind_text(handle, Int32(index), "", 0, smith_sqlite_transient())
        }
        try connection.check(rc, "cannot bind parameter \(index)")
    }

    /// Binds UTF-8 bytes as text without copying them (`SQLITE_STATIC`): the bytes must stay valid and
    /// unchanged until the statement has run and been reset, and every parameter bound this way must be
    /// bound again before the next run.
    func bindTextNoCopy(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) throws(ProjectionError) {
        guard let base = utf8.baseAddress, utf8.count > 0 else { return try bindText(index, utf8) }
        let rc = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            sqlite3_bind_text(handle, Int32(index), $0, Int32(utf8.count), nil)
        }
        try connection.check(rc, "cannot bind parameter \(index)")
    }

    public func bind(_ index: Int, _ value: [UInt8]?) throws(ProjectionError) {
        guard let value else { return try bindNull(index) }
        let rc = value.withUnsafeBytes { raw in
            // An empty array may have no address, which would bind NULL: bind an empty blob explicitly.
            guard let base = raw.baseAddress, raw.count > 0 else {
                return sqlite3_bind_zeroblob(handle, Int32(index), 0)
            }
            return sqlite3_bind_blob(handle, Int32(index), base, Int32(raw.count), smith_sqlite_transient())
        }
        try connection.check(rc, "cannot bind parameter \(index)")
    }

    /// Binds any byte collection (`Data`, a slice, ...) as a blob.
    public func bind(_ index: Int, bytes: some Collection<UInt8>) throws(ProjectionError) {
        try bind(index, Array(bytes))
    }

    public func bindNull(_ index: Int) throws(ProjectionError) {
        try connection.check(sqlite3_bind_null(handle, Int32(index)), "cannot bind parameter \(index)")
    }

    public func bind(_ index: Int, _ value: SQLValue) throws(ProjectionError) {
        switch value {
        case .null: try bindNull(index)
        case .integer(let v): try bind(index, v)
        case .real(let v): try bind(index, v)
        case .text(let v): try bind(index, v)
        case .blob(let v): try bind(index, v)
        }
    }

    /// Binds `values` to parameters 1, 2, 3, ...
    public func bind(_ values: [SQLValue]) throws(ProjectionError) {
        for (i, v) in values.enumerated() { try bind(i + 1, v) }
    }

    // MARK: Running

    /// Advances to the next row; false when there are no more.
    public func step() throws(ProjectionError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        // Reset after the error is built (it reads the connection's message), so the statement stays usable.
        defer { sqlite3_reset(handle) }
        try connection.check(rc, "cannot run SQL")
        return false
    }

    /// Makes the statement ready to run again; bindings stay unless `clearBindings`.
    public func reset(clearBindings: Bool = false) {
        // reset repeats the last step's error code, which `step` has already reported.
        sqlite3_reset(handle)
        if clearBindings { sqlite3_clear_bindings(handle) }
    }

    /// Runs a statement that returns no rows (or whose rows do not matter), then resets it.
    public func execute() throws(ProjectionError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Binds `values`, runs the statement to completion, resets it.
    public func execute(_ values: [SQLValue]) throws(ProjectionError) {
        try bind(values)
        try execute()
    }

    /// Calls `body` for each row, then resets the statement. `body` returns false to stop early.
    public func forEachRow(_ body: (SQLiteRow) throws -> Bool) throws {
        defer { sqlite3_reset(handle) }
        let row = SQLiteRow(handle: handle)
        while try step() {
            if try !body(row) { break }
        }
    }

    /// All rows as values, for small results.
    public func allRows() throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try forEachRow { row in
            rows.append(row.values)
            return true
        }
        return rows
    }

    /// The first column of the first row, or nil when there is no row; resets the statement.
    public func scalar() throws(ProjectionError) -> SQLValue? {
        defer { sqlite3_reset(handle) }
        guard try step() else { return nil }
        return SQLiteRow(handle: handle).value(0)
    }
}

/// The current row of a statement: typed column access by 0-based index.
///
/// Valid only inside the `forEachRow` call that handed it out.
public struct SQLiteRow {
    let handle: OpaquePointer

    public var count: Int { Int(sqlite3_column_count(handle)) }

    public func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }

    public func int64(_ column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(column)) }

    public func double(_ column: Int) -> Double { sqlite3_column_double(handle, Int32(column)) }

    /// The column as text; nil when it is NULL.
    public func string(_ column: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(column)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes; nil when it is NULL.
    public func bytes(_ column: Int) -> [UInt8]? {
        if isNull(column) { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        guard count > 0, let raw = sqlite3_column_blob(handle, Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: count))
    }

    /// The column as the type SQLite stored it with.
    public func value(_ column: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(column)) {
        case SQLITE_INTEGER: return .integer(int64(column))
        case SQLITE_FLOAT: return .real(double(column))
        case SQLITE_TEXT: return .text(string(column) ?? "")
        case SQLITE_BLOB: return .blob(bytes(column) ?? [])
        default: return .null
        }
    }

    /// Every column of the row.
    public var values: [SQLValue] { (0..<count).map(value) }
}
