import CSQLite

/// A minimal SQLite wrapper, after SwiftPM's `Basics/SQLite.swift`: one connection, prepared statements,
/// synchronous transactions, and typed errors.
///
/// Read-write connections use WAL mode and `synchronous=NORMAL`, so readers never block the writer and a
/// commit costs no fsync of the main file; every connection has a busy timeout, so a command that meets a
/// lock held by another process waits for it instead of failing. Not thread-safe: use one connection per
/// thread (it is opened without SQLite's per-call mutex for speed).
public final class SQLiteDatabase {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Read and write, creating the file when it does not exist.
        case readWrite
        /// Read only: SQLite itself refuses any write, whatever the SQL.
        case readOnly
    }

    /// How long a statement waits for another connection's lock before failing with `.busy`.
    public static let defaultBusyTimeoutMilliseconds: Int32 = 60_000

    public let path: String
    public let mode: Mode
    let connection: SQLiteConnection
    private var statementCache: [String: SQLiteStatement] = [:]

    /// Opens (for `.readWrite`, creating) the database at `path`.
    ///
    /// A file that is not a database is only detected by the first statement, which for read-write
    /// connections is the WAL setup here: it throws `.notADatabase`.
    public init(
        path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = defaultBusyTimeoutMilliseconds
    )
        throws(ProjectionError)
    {
        self.path = path
        self.mode = mode
        _ = Self.processSettings
        var handle: OpaquePointer?
        let access = mode == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let rc = sqlite3_open_v2(path, &handle, access | SQLITE_OPEN_NOMUTEX, nil)
        guard let handle else { throw ProjectionError(.sqlite, "cannot open database (out of memory)", path: path) }
        // The connection object closes the handle even when opening failed half-way.
        connection = SQLiteConnection(handle: handle, path: path)
        try connection.check(rc, "cannot open database")
        try connection.check(sqlite3_extended_result_codes(handle, 1), "cannot configure database")
        try connection.check(sqlite3_busy_timeout(handle, busyTimeoutMilliseconds), "cannot set busy timeout")
        if mode == .readWrite {
            // Takes effect only while the file is still empty (a new file), before WAL mode fixes it. Rows of
            // the big tables are a few hundred bytes: on 8 KB pages a catch-up's inserts and index builds
            // split and read fewer pages, about 5% faster than on the default 4 KB.
            try exec("PRAGMA page_size = 8192")
            // journal_mode answers with a row, so it goes through a statement rather than exec.
            let journal = try prepare("PRAGMA journal_mode=WAL").scalar()
            guard journal?.stringValue?.lowercased() == "wal" else {
                throw ProjectionError(.sqlite, "cannot switch the database to WAL mode", path: path)
            }
            try exec("PRAGMA synchronous=NORMAL")
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens (SQLite accepts them
    /// only before it initializes itself).
    ///
    /// Memory statistics off: SQLite otherwise counts every allocation under a global mutex, which a
    /// catch-up (millions of small allocations, one connection per thread) pays for and never reads. False
    /// when SQLite was already initialized by other code in the process; that only costs speed.
    static let processSettings: Bool = {
        let rc = smith_sqlite_config_memstatus(0)
        return (try? SQLiteResult.check(rc, nil, "cannot turn off SQLite's memory statistics", path: nil)) != nil
    }()

    /// Runs one or more SQL statements that return no rows (DDL, pragmas, transaction control).
    public func exec(_ sql: String) throws(ProjectionError) {
        // sqlite3_exec leaves its message on the connection, where the check reads it.
        try connection.check(sqlite3_exec(connection.handle, sql, nil, nil, nil), "cannot run SQL")
    }

    /// Prepares one statement; throws `.invalidQuery` for bad SQL or more than one statement.
    public func prepare(_ sql: String) throws(ProjectionError) -> SQLiteStatement {
        try SQLiteStatement(connection: connection, sql: sql, persistent: false)
    }

    /// The prepared statement for `sql`, prepared once per connection and reused: for hot inserts.
    ///
    /// The statement comes back reset and with its previous bindings cleared.
    public func cachedStatement(_ sql: String) throws(ProjectionError) -> SQLiteStatement {
        if let cached = statementCache[sql] {
            cached.reset(clearBindings: true)
            return cached
        }
        let statement = try SQLiteStatement(connection: connection, sql: sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    /// Finalizes every cached statement (before dropping tables, say, or to free memory).
    public func clearStatementCache() {
        statementCache.removeAll()
    }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes no lock until the first read or write.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a concurrent writer waits here (busy timeout) instead of
        /// failing later when a read transaction cannot be upgraded.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Nested calls become savepoints, so an inner failure undoes only the inner work.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction {
            try exec("SAVEPOINT smithlog_nested")
            do {
                let result = try body()
                try exec("RELEASE smithlog_nested")
                return result
            } catch {
                try? exec("ROLLBACK TO smithlog_nested")
                try? exec("RELEASE smithlog_nested")
                throw error
            }
        }
        try exec("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            // A failed COMMIT (busy) leaves the transaction open; roll it back in every case.
            if isInTransaction { try? exec("ROLLBACK") }
            throw error
        }
    }

    /// True inside an explicit transaction.
    public var isInTransaction: Bool { sqlite3_get_autocommit(connection.handle) == 0 }

    /// `PRAGMA user_version`: a number the application keeps in the file header.
    public func userVersion() throws(ProjectionError) -> Int64 {
        try prepare("PRAGMA user_version").scalar()?.int64Value ?? 0
    }

    public func setUserVersion(_ version: Int64) throws(ProjectionError) {
        try exec("PRAGMA user_version = \(version)")
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(connection.handle)) }

    /// Rowid of the row the last successful INSERT added.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(connection.handle) }
}

// A connection must not be shared between threads.
@available(*, unavailable)
extension SQLiteDatabase: Sendable {}
