/// Unjournaled writing for large catch-ups, made safe by a dirty marker.
///
/// The projections file is disposable, so a large catch-up (a rebuild, say) need not pay for crash safety:
/// it marks the file dirty (`PRAGMA user_version` = `dirtyVersion`, committed in WAL mode), takes the file
/// for itself (`locking_mode=EXCLUSIVE`), keeps its rollback journal in memory (so a batch can still be
/// rolled back) and skips fsyncs. At the end the file is synced, put back in WAL mode (so readers never
/// block the writer in normal operation), and only then marked clean. A process that dies in between leaves
/// the dirty marker behind, and the next open resets the file (`RebuildReason.interrupted`).
///
/// When another connection has the file open the journal mode cannot change; the catch-up then runs in WAL
/// mode as usual.
enum BulkLoad {
    /// `user_version` of a file whose bulk catch-up has not finished.
    static var dirtyVersion: Int64 { -ProjectionSchema.version }

    /// Switches `db` to unjournaled writing; false (and nothing changed) when another connection prevents it.
    static func begin(_ db: SQLiteDatabase) throws -> Bool {
        try db.exec("PRAGMA locking_mode = EXCLUSIVE")
        try db.exec("PRAGMA synchronous = FULL")
        try db.transaction(.immediate) { try db.setUserVersion(dirtyVersion) }
        let mode = try db.prepare("PRAGMA journal_mode = MEMORY").scalar()?.stringValue?.lowercased()
        guard mode == "memory" else {
            // Someone else has the file open: stay in WAL mode, clean.
            try db.transaction(.immediate) { try db.setUserVersion(ProjectionSchema.version) }
            try db.exec("PRAGMA synchronous = NORMAL")
            try db.exec("PRAGMA locking_mode = NORMAL")
            return false
        }
        try db.exec("PRAGMA synchronous = OFF")
        return true
    }

    /// Syncs the file, restores WAL mode and shared locking, then marks the file clean.
    ///
    /// `finish` runs just before, still unjournaled, in a transaction whose commit syncs everything written.
    static func end(_ db: SQLiteDatabase, finish: () throws -> Void) throws {
        try db.exec("PRAGMA synchronous = FULL")
        try db.transaction(.immediate) {
            try finish()
            // Something to commit, so the commit syncs the pages the unsynced batches left in the OS.
            try db.setUserVersion(dirtyVersion)
        }
        try db.exec("PRAGMA locking_mode = NORMAL")
        let mode = try db.prepare("PRAGMA journal_mode = WAL").scalar()?.stringValue?.lowercased()
        guard mode == "wal" else {
            throw ProjectionError(.sqlite, "cannot switch the projections back to WAL mode", path: db.path)
        }
        try db.exec("PRAGMA synchronous = NORMAL")
        try db.transaction(.immediate) { try db.setUserVersion(ProjectionSchema.version) }
    }
}
