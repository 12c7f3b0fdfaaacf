import CSQLite

/// Owns one `sqlite3*` handle and closes it when the last statement and database using it are gone.
///
/// Statements keep their connection alive; the database keeps the statement cache. Splitting the handle
/// out of `SQLiteDatabase` avoids a retain cycle between the database and its cached statements.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    /// The authorizer's and progress handler's state on query connections (see `restrictToReading`): kept here,
    /// as long as the handle, since a statement re-prepared after a schema change calls the authorizer again.
    var readingGuard: ReadingGuard?

    init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        // close_v2 defers the close if a statement is somehow still alive instead of failing.
        sqlite3_close_v2(handle)
    }

    @inline(__always)
    @discardableResult
    func check(_ rc: Int32, _ what: @autoclosure () -> String) throws(ProjectionError) -> Int32 {
        try SQLiteResult.check(rc, handle, what(), path: path)
    }
}
