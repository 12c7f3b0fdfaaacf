/// The schema's indexes, which a large catch-up drops and rebuilds afterwards.
///
/// Building an index once from sorted rows is much cheaper than inserting a million random keys into it
/// one by one. If a catch-up dies before restoring them, the next open of the file restores them (a
/// missing index only makes queries slower, never wrong). The key index of a `KeyedTable` is dropped only
/// when the catch-up has the file to itself (unjournaled, `BulkLoad`) and the table is empty: then the
/// appliers keep its keys unique themselves (`KeyedUpsert`).
enum SecondaryIndexes {
    /// Catch-ups with at least this many events to read drop the indexes first.
    static let bulkThreshold: UInt64 = 100_000

    /// (name, CREATE INDEX IF NOT EXISTS statement) for every `CREATE [UNIQUE] INDEX` line of the DDL.
    ///
    /// Read as UTF-8 bytes: every open of the file checks the indexes (``restore(_:)``), and splitting the DDL
    /// into Characters took a millisecond of every query's time.
    static let all: [(name: String, sql: String)] = ProjectionSchema.ddl.utf8.split(separator: UInt8(ascii: "\n"))
        .compactMap { line in
            for prefix in ["CREATE INDEX ", "CREATE UNIQUE INDEX "] where line.starts(with: prefix.utf8) {
                let rest = line.dropFirst(prefix.utf8.count)
                guard let name = rest.split(separator: UInt8(ascii: " ")).first else { return nil }
                return (String(Substring(name)), prefix + "IF NOT EXISTS " + String(Substring(rest)))
            }
            return nil
        }

    /// Drops the indexes, except the key indexes of keyed tables not named in `keys`.
    static func drop(_ db: SQLiteDatabase, keys: Set<String>) throws {
        let kept = Set(KeyedTable.all.filter { !keys.contains($0.name) }.map(\.keyIndex))
        try db.transaction(.immediate) {
            for index in all where !kept.contains(index.name) {
                try db.exec("DROP INDEX IF EXISTS \(index.name)")
            }
        }
    }

    /// The keyed tables without rows, whose key a catch-up can build after appending.
    static func emptyKeyedTables(_ db: SQLiteDatabase) throws -> Set<String> {
        let empty = try KeyedTable.all.filter { try db.prepare("SELECT 1 FROM \($0.name) LIMIT 1").scalar() == nil }
        return Set(empty.map(\.name))
    }

    /// Creates the indexes that are missing; writes nothing when none is.
    ///
    /// With the page cache cut to ``sortingCacheKiB`` meanwhile: SQLite sorts an index's keys in memory up to
    /// the cache's size before it spills sorted runs to temporary files, so with the catch-up's cache the sort of
    /// a large index held another 32 MB, and the smaller indexes of a smaller store did not; the sort reads the
    /// table once, in order, and needs no large cache.
    static func restore(_ db: SQLiteDatabase) throws {
        guard try !missing(db).isEmpty else { return }
        try db.exec("PRAGMA cache_size = -\(sortingCacheKiB)")
        defer { try? ProjectionFile.tuneForCatchUp(db) }
        try db.transaction(.immediate) {
            for index in all { try db.exec(index.sql) }
        }
    }

    /// Page cache (and so in-memory sort) while the indexes are built, in KiB.
    static let sortingCacheKiB = 4 * 1024

    static func missing(_ db: SQLiteDatabase) throws -> [String] {
        var present = Set<String>()
        try db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").forEachRow { row in
            present.insert(row.string(0) ?? "")
            return true
        }
        return all.map(\.name).filter { !present.contains($0) }
    }
}
