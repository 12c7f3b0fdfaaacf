import CSQLite

/// What a query connection refuses beyond writes, and the deadline that stops a runaway query.
///
/// Installed by `SQLiteDatabase.restrictToReading()`; lives as long as the connection (statements re-prepared
/// after a schema change call the authorizer again), so the connection keeps it.
final class ReadingGuard {
    /// Functions that hand out the process's memory or files: `fts3_tokenizer` returns a tokenizer's address
    /// (and, with two arguments, installs one: code execution), `load_extension` loads a shared library, `fts5`
    /// hands out its API pointer; the rest are the sqlite3 shell's file functions, refused in case a library
    /// build registers them.
    static let deniedFunctions: Set<String> = [
        "fts3_tokenizer", "load_extension", "fts5", "readfile", "writefile", "edit", "lsmode", "sqlar_compress",
        "sqlar_uncompress", "zipfile", "zipfile_cds", "sqlite_log",
    ]

    /// The denied function the last refusal was about; nil when it was about something else.
    var deniedFunction: String?
    /// When the running statement is interrupted; nil for no limit.
    var deadline: ContinuousClock.Instant?
    /// Whether the deadline interrupted a statement (the error SQLite returns does not say why).
    var interrupted = false
}

extension SQLiteDatabase {
    /// Denies what `sqlite3_stmt_readonly` lets through on query connections: ATTACH and DETACH (another file
    /// could be attached and written), pragmas given a value (`PRAGMA query_only = 0`) except the read-only
    /// pragmas whose argument names a table or index, and the functions of `ReadingGuard.deniedFunctions`.
    /// Also turns on SQLite's defensive mode, turns off extension loading and the two-argument
    /// `fts3_tokenizer`, and stops trusting the file's schema (a view or trigger in a crafted file cannot call
    /// functions with side effects). Installs the progress handler `withDeadline` relies on.
    func restrictToReading() throws(ProjectionError) {
        let handle = connection.handle
        for (option, value, what) in [
            (SQLITE_DBCONFIG_DEFENSIVE, Int32(1), "defensive mode"),
            (SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "extension loading"),
            (SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, "fts3_tokenizer"),
            (SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "the trusted schema"),
        ] {
            var now: Int32 = -1
            try connection.check(smith_sqlite_db_config_int(handle, option, value, &now), "cannot configure \(what)")
            guard now == value else {
                throw ProjectionError(.sqlite, "cannot configure \(what): SQLite kept it \(now)", path: path)
            }
        }
        let readingGuard = ReadingGuard()
        connection.readingGuard = readingGuard
        let context = Unmanaged.passUnretained(readingGuard).toOpaque()
        try connection.check(sqlite3_set_authorizer(handle, readingAuthorizer, context), "cannot set authorizer")
        // Every 1,000 virtual machine steps: a clock read costs tens of nanoseconds, a step about as much.
        sqlite3_progress_handler(handle, 1000, deadlineHandler, context)
    }

    /// Runs `body` (which runs statements on this connection) so that a statement still running `timeout` after
    /// the start is interrupted: it fails with `ProjectionError(.interrupted)`. No limit when `timeout` is nil.
    /// Needs `restrictToReading()` first.
    func withDeadline<T>(_ timeout: Duration?, _ body: () throws -> T) throws -> T {
        guard let timeout, let readingGuard = connection.readingGuard else { return try body() }
        readingGuard.deadline = .now + timeout
        readingGuard.interrupted = false
        defer { readingGuard.deadline = nil }
        do {
            return try body()
        } catch let error as ProjectionError where readingGuard.interrupted {
            throw ProjectionError(
                .interrupted, "query interrupted after \(Self.seconds(timeout)) s", path: nil,
                sqliteCode: error.sqliteCode)
        }
    }

    /// The function the last refusal was about, if it was one of `ReadingGuard.deniedFunctions`; clears it.
    func takeDeniedFunction() -> String? {
        defer { connection.readingGuard?.deniedFunction = nil }
        return connection.readingGuard?.deniedFunction
    }

    /// `1`, `0.5`: a duration in seconds as a message shows it.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        if attoseconds == 0 { return "\(whole)" }
        return "\(Double(whole) + Double(attoseconds) / 1e18)"
    }
}

/// Pragmas that take an argument only to say what to describe.
private let describingPragmas: Set<String> = [
    "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check",
]

/// SQLite authorizer callback for query connections (see `restrictToReading`).
private func readingAuthorizer(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
    _ second: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?
) -> Int32 {
    switch action {
    case SQLITE_ATTACH, SQLITE_DETACH:
        return SQLITE_DENY
    case SQLITE_PRAGMA:
        guard second != nil, let first else { return SQLITE_OK }
        return describingPragmas.contains(String(cString: first).lowercased()) ? SQLITE_OK : SQLITE_DENY
    case SQLITE_FUNCTION:
        // The function's name is the third argument (`second` here); the first is always NULL.
        guard let second else { return SQLITE_DENY }
        let name = String(cString: second).lowercased()
        guard ReadingGuard.deniedFunctions.contains(name) else { return SQLITE_OK }
        if let context { Unmanaged<ReadingGuard>.fromOpaque(context).takeUnretainedValue().deniedFunction = name }
        return SQLITE_DENY
    default:
        return SQLITE_OK
    }
}

/// SQLite progress handler: non-zero interrupts the running statement once the deadline has passed.
private func deadlineHandler(_ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    let readingGuard = Unmanaged<ReadingGuard>.fromOpaque(context).takeUnretainedValue()
    guard let deadline = readingGuard.deadline, ContinuousClock.now >= deadline else { return 0 }
    readingGuard.interrupted = true
    return 1
}
