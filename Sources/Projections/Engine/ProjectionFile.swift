import Foundation
import SmithStore

/// Opens the projections file and makes it match this code's schema, resetting it when it cannot be used.
///
/// The file is disposable: when it is missing, not a database, or written for another schema version,
/// it is reset (emptied and given the current schema) and the caller replays the log into it.
enum ProjectionFile {
    /// An open, current-schema database, and why it was reset (nil when it was usable as it was).
    ///
    /// Files it creates get `sharing`'s mode: SQLite creates a database file 0644 whatever it is asked, and
    /// its WAL files with the mode of the database file, so a shared store's file is made here first.
    static func open(path: String, sharing: StoreSharing = .owner) throws -> (SQLiteDatabase, RebuildReason?) {
        // stat(2), not FileManager's attributes: those also look up the owner's user and group names, a read of
        // /etc/passwd and /etc/group on every query.
        var info = stat()
        let existed = stat(path, &info) == 0 && info.st_size > 0
        try prepareFiles(path, sharing)
        do {
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            try tuneForCatchUp(db)
            // Reading the schema touches the header and the schema pages: enough to spot a non-database.
            let version = try db.userVersion()
            _ = try db.prepare("SELECT count(*) FROM sqlite_master").scalar()
            if !existed {
                try resetSchema(db, unlessVersionIs: ProjectionSchema.version)
                return (db, .missing)
            }
            if version != ProjectionSchema.version {
                // Another process may have reset it meanwhile; resetSchema re-checks under the write lock.
                try resetSchema(db, unlessVersionIs: ProjectionSchema.version)
                if version == BulkLoad.dirtyVersion { return (db, .interrupted) }
                return (db, .schemaVersion(found: version, expected: ProjectionSchema.version))
            }
            try ensureStateRows(db)
            try SecondaryIndexes.restore(db)  // after a bulk catch-up that did not finish
            return (db, nil)
        } catch let error as ProjectionError where error.code == .notADatabase {
            try delete(path: path)
            try prepareFiles(path, sharing)
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            try tuneForCatchUp(db)
            try resetSchema(db, unlessVersionIs: ProjectionSchema.version)
            return (db, .notADatabase(error.message))
        }
    }

    /// Creates the database file with `sharing`'s mode, and gives the files this user made earlier that mode
    /// (a store turned shared after its projections were made).
    private static func prepareFiles(_ path: String, _ sharing: StoreSharing) throws(LogError) {
        guard sharing == .group else { return }
        try sharing.createFileIfMissing(path)
        for file in [path, path + "-wal", path + "-shm"] { try sharing.adjust(file) }
    }

    /// Settings of the catching-up connection (not stored in the file).
    ///
    /// The projections' indexes take random inserts (ids, instance ids); SQLite's default 2 MB page cache
    /// would send most of them to the OS, so catching up a million events would spend its time copying
    /// pages. A larger cache keeps the hot pages in memory; bounded, so that a rebuild's memory stays the
    /// same however large a team's history (and its projections file) grows: a rebuild appends rows with the
    /// secondary indexes dropped and sorts them once at the end, in temporary files past the cache (the
    /// default `temp_store`), not in memory.
    static func tuneForCatchUp(_ db: SQLiteDatabase) throws(ProjectionError) {
        try db.exec("PRAGMA cache_size = -\(catchUpCacheKiB)")
    }

    /// Page cache of the catching-up connection, in KiB.
    static let catchUpCacheKiB = 32 * 1024

    /// Catch-ups of fewer events than this (what a write command appended: a run's trajectories, an SFT set's
    /// lines) run with `smallCatchUpCacheKiB`: the pages they touch are mostly index leaves each touched once, so
    /// a cache holding them all until the command ends only made its memory grow with the run (and with the
    /// indexes' size in a team's store). 1 MB: with 4 MB, SQLite's heap in the catch-up after `ingest
    /// trajectories` was 4.7 MB for a run of 2,600 trajectories (team workload, 1x) and 3.2 MB for 650 (a
    /// quarter; heaptrack), which made the command's peak grow with the run.
    static let smallCatchUpEvents: UInt64 = 20_000
    static let smallCatchUpCacheKiB = 1024

    /// Page cache of a catch-up that appends rows to tables with no index but their rowid (a bulk catch-up
    /// that has the file to itself, from empty tables: a rebuild, a first pull), in KiB. The pages it writes
    /// are each table's last ones, so a larger cache buys no speed (a rebuild of 1.08M events took as long
    /// at 8 MB as at 32), while a cache the projections file fills makes the peak grow with the history.
    static let appendingCacheKiB = 8 * 1024

    /// Sizes the page cache for a catch-up that appends rows (``appendingCacheKiB``).
    static func tuneForAppending(_ db: SQLiteDatabase) throws(ProjectionError) {
        try db.exec("PRAGMA cache_size = -\(appendingCacheKiB)")
    }

    /// Sizes the page cache for a catch-up of `events` events.
    static func tuneForCatchUp(_ db: SQLiteDatabase, events: UInt64) throws(ProjectionError) {
        let kib = events < smallCatchUpEvents ? smallCatchUpCacheKiB : catchUpCacheKiB
        try db.exec("PRAGMA cache_size = -\(kib)")
    }

    /// Drops every table and view and creates the current schema, in one transaction.
    ///
    /// With `unlessVersionIs`, does nothing when the file already has that version once the write lock is
    /// held: two commands that both found an old file reset it only once.
    static func resetSchema(_ db: SQLiteDatabase, unlessVersionIs skipVersion: Int64? = nil) throws {
        db.clearStatementCache()
        try db.transaction(.immediate) {
            if let skipVersion, try db.userVersion() == skipVersion, try hasStateTable(db) { return }
            try dropEverything(db)
            try db.exec(ProjectionSchema.ddl)
            try db.setUserVersion(ProjectionSchema.version)
            try ensureStateRows(db)
        }
    }

    private static func hasStateTable(_ db: SQLiteDatabase) throws -> Bool {
        try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_state'").scalar()
            != nil
    }

    /// Drops views first (they name tables), then tables, which takes their indexes with them.
    private static func dropEverything(_ db: SQLiteDatabase) throws {
        let list = try db.prepare(
            """
            SELECT type, name FROM sqlite_master
            WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            ORDER BY type = 'table', name
            """)
        for row in try list.allRows() {
            guard case .text(let type) = row[0], case .text(let name) = row[1] else { continue }
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            try db.exec("DROP \(type == "view" ? "VIEW" : "TABLE") IF EXISTS \(quoted)")
        }
    }

    /// One `projection_state` row per projection this code knows; a new projection starts at seq 0.
    static func ensureStateRows(_ db: SQLiteDatabase) throws {
        var present = Set<String>()
        try db.prepare("SELECT projection FROM projection_state").forEachRow { row in
            present.insert(row.string(0) ?? "")
            return true
        }
        // Only write when a row is missing: opening must not take the write lock every time.
        let insert = try db.prepare("INSERT OR IGNORE INTO projection_state (projection, last_seq) VALUES (?, 0)")
        for projection in ProjectionCatalog.all where !present.contains(projection.name) {
            try insert.bind(1, projection.name)
            try insert.execute()
        }
    }

    /// Deletes the database and its WAL and shared-memory files.
    static func delete(path: String) throws(ProjectionError) {
        for file in [path, path + "-wal", path + "-shm", path + "-journal"]
        where FileManager.default.fileExists(atPath: file) {
            do {
                try FileManager.default.removeItem(atPath: file)
            } catch {
                throw ProjectionError(.sqlite, "cannot delete the damaged projections file: \(error)", path: file)
            }
        }
    }
}
