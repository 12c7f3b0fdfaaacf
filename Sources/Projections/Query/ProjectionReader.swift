import Foundation
public import SmithStore

/// Read-only SQL over a projections file, for `smithlog query` and the query commands.
///
/// Three locks keep queries from writing: the connection is opened `SQLITE_OPEN_READONLY` with
/// `PRAGMA query_only`, every statement must pass `sqlite3_stmt_readonly`, and an authorizer refuses
/// what SQLite counts as read-only but changes the connection: ATTACH, DETACH, and pragmas given a value.
/// Refusals are `ProjectionError(.writeRefused)` and run nothing. The authorizer also refuses functions that
/// expose the process's memory or files (`fts3_tokenizer`, `load_extension`, ...) with
/// `ProjectionError(.functionRefused)`, and a query given a timeout is stopped with
/// `ProjectionError(.interrupted)` when it runs past it. WAL mode means a query never blocks a catch-up in
/// another process, nor waits for one.
public final class ProjectionReader {
    public let path: String
    private let database: SQLiteDatabase

    /// Opens the projections file read-only; it must exist (a catch-up creates it).
    ///
    /// With `log`, the connection also has the `instance_rows` view (instances plus `row_json`, read from
    /// the log).
    public init(path: String, log: EventLog? = nil) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ProjectionError(
                .sqlite, "no projections file yet (any command that reads the store creates it)",
                path: path)
        }
        self.path = path
        database = try SQLiteDatabase(path: path, mode: .readOnly)
        if let log { try InstanceRowsView.install(on: database, log: log) }
        try database.exec("PRAGMA cache_size = -\(Self.cacheKiB)")
        try database.exec("PRAGMA query_only = 1")
        try database.restrictToReading()
    }

    /// Page cache of a query connection, in KiB: below SQLite's default (2 MB), which a query fills as far as
    /// the store is large (comparing two runs: +1.3 MB of peak RSS from a quarter of a million events to a
    /// million), so its memory grew with the store. Pages past it are read again from the OS's file cache.
    static let cacheKiB = 1024

    /// Runs one read-only statement with `arguments` bound to its parameters, in order, and returns its
    /// column names and all its rows. With `timeout`, a statement still running after it is stopped with
    /// `ProjectionError(.interrupted)` ("query interrupted after 30 s").
    public func query(
        sql: String, arguments: [SQLValue] = [], timeout: Duration? = nil
    ) throws -> (
        columns: [String], rows: [[SQLValue]]
    ) {
        var names: [String] = []
        var rows: [[SQLValue]] = []
        try query(sql: sql, arguments: arguments, timeout: timeout, columns: { names = $0 }) { row in
            rows.append(row)
            return true
        }
        return (names, rows)
    }

    /// Runs one read-only statement: `columns` gets the column names once, then `row` each row until it
    /// returns false. `timeout` as above; the time `row` takes counts.
    public func query(
        sql: String, arguments: [SQLValue] = [], timeout: Duration? = nil, columns: ([String]) throws -> Void,
        row: ([SQLValue]) throws -> Bool
    ) throws {
        let statement = try prepareReadOnly(sql)
        try statement.bind(arguments)
        try columns(statement.columnNames)
        try database.withDeadline(timeout) {
            try statement.forEachRow { try row($0.values) }
        }
    }

    /// Runs one read-only statement with `arguments` bound, handing `row` each row as SQLite holds it (valid only
    /// during the call) until it returns false: for a query that reads thousands of rows and keeps a few
    /// columns of some, without making every row's values.
    public func forEachRow(sql: String, arguments: [SQLValue] = [], _ row: (SQLiteRow) throws -> Bool) throws {
        let statement = try prepareReadOnly(sql)
        try statement.bind(arguments)
        try statement.forEachRow(row)
    }

    /// Prepares `sql` and checks it cannot write.
    func prepareReadOnly(_ sql: String) throws(ProjectionError) -> SQLiteStatement {
        let statement: SQLiteStatement
        do {
            statement = try database.prepare(sql)
        } catch {
            // SQLite reports a denied function as a plain error ("not authorized to use function").
            if let function = database.takeDeniedFunction() {
                throw ProjectionError(
                    .functionRefused,
                    "queries cannot call \(function)(): it exposes the process's memory or files",
                    path: path, sqliteCode: error.sqliteCode)
            }
            guard error.code == .writeRefused else { throw error }
            throw ProjectionError(
                .writeRefused,
                "queries are read-only: ATTACH, DETACH and setting pragmas are not allowed (\(error.message))",
                path: path, sqliteCode: error.sqliteCode)
        }
        guard statement.isReadOnly else {
            throw ProjectionError(
                .writeRefused,
                "queries are read-only: this statement would change the database, so it was not run"
                    + " (\(Self.firstWords(sql))...). Use SELECT, WITH, EXPLAIN or a read-only PRAGMA;"
                    + " the projections are changed only by replaying the event log",
                path: path)
        }
        return statement
    }

    /// The first few words of a statement, to name it in a message.
    private static func firstWords(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).prefix(3).joined(
            separator: " ")
    }
}

// One connection, one thread.
@available(*, unavailable)
extension ProjectionReader: Sendable {}
