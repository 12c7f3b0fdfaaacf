import CSQLite

/// The one place SQLite return codes are checked and turned into `ProjectionError`s.
enum SQLiteResult {
    /// Returns `rc` when it means success (`SQLITE_OK`, `SQLITE_ROW`, `SQLITE_DONE`); throws otherwise.
    ///
    /// `what` says what was being done ("cannot prepare statement"); SQLite's own message for the
    /// connection is appended, since it is far more specific than the generic text for the code.
    @inline(__always)
    @discardableResult
    static func check(
        _ rc: Int32, _ db: OpaquePointer?, _ what: @autoclosure () -> String, path: String?
    )
        throws(ProjectionError) -> Int32
    {
        if rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE { return rc }
        throw error(rc, db, what(), path: path)
    }

    static func error(_ rc: Int32, _ db: OpaquePointer?, _ what: String, path: String?) -> ProjectionError {
        // The connection's message is specific ("no such table: x") but only when it belongs to this code.
        var reason = String(cString: sqlite3_errstr(rc))
        if let db, sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == rc & 0xff {
            reason = String(cString: sqlite3_errmsg(db))
        }
        let code: ProjectionError.Code
        switch rc & 0xff {
        case SQLITE_NOTADB, SQLITE_CORRUPT: code = .notADatabase
        case SQLITE_BUSY, SQLITE_LOCKED: code = .busy
        case SQLITE_FULL: code = .full
        case SQLITE_READONLY, SQLITE_AUTH: code = .writeRefused
        case SQLITE_INTERRUPT: code = .interrupted
        case SQLITE_ERROR, SQLITE_RANGE, SQLITE_MISMATCH, SQLITE_TOOBIG: code = .invalidQuery
        default: code = .sqlite
        }
        return ProjectionError(code, what.isEmpty ? reason : "\(what): \(reason)", path: path, sqliteCode: rc)
    }
}
