import CLMDB

// The LMDB calls the indexes need beyond plain get/put/scan: insert-or-read-back for the id index,
// floor lookups for the posting lists, and deletes (for tests that damage an index on purpose).

extension LMDBCursor {
    /// Writes `key` → `value` unless `key` is present; returns nil when written, else `existing` applied to
    /// the stored value (which LMDB hands back with MDB_KEYEXIST, saving a second lookup).
    func insert<T>(
        _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, existing: (UnsafeRawBufferPointer) -> T
    ) throws(LogError) -> T? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_cursor_put(cursor, &k, &v, UInt32(MDB_NOOVERWRITE))
        if rc == MDB_KEYEXIST { return existing(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)) }
        if rc == MDB_MAP_FULL { throw LogError(.full, LMDBTransaction.mapFullMarker, path: path) }
        try lmdbCheck(rc, "cannot write", path: path)
        return nil
    }
}

extension LMDBTransaction {
    /// Removes `key`; false when it was not there.
    @discardableResult
    func delete(_ db: MDB_dbi, _ key: UnsafeRawBufferPointer) throws(LogError) -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(txn, db, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try lmdbCheck(rc, "cannot delete", path: environment.path)
        return true
    }

    /// Removes every entry of `db` (the database itself stays).
    func empty(_ db: MDB_dbi) throws(LogError) {
        try lmdbCheck(mdb_drop(txn, db, 0), "cannot empty a table", path: environment.path)
    }

    /// Walks keys in order from the last key <= `start` (from the first key when there is none);
    /// `body` returns false to stop.
    ///
    /// For indexes keyed by the first seq of a run: the run holding `start` begins at or before it.
    func scan(
        _ db: MDB_dbi, fromFloor start: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var cursor: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(txn, db, &cursor), "cannot open cursor", path: environment.path)
        defer { mdb_cursor_close(cursor) }
        var k = MDB_val(mv_size: start.count, mv_data: UnsafeMutableRawPointer(mutating: start.baseAddress))
        var v = MDB_val()
        var rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
        if rc == MDB_NOTFOUND {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
        } else if rc == 0 && !UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size).elementsEqual(start) {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV)
            if rc == MDB_NOTFOUND { rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST) }
        }
        try walk(cursor, rc, &k, &v, body)
    }
}
