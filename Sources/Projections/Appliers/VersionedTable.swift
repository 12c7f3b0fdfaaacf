import SmithDomain

/// The version bookkeeping shared by the tables of named things (datasets, subsets, runs, eval_runs,
/// sft_datasets, checkpoints, benchmark_results): a row per version, `latest`, `retracted`, pinned references.
///
/// Version N of a name is the N-th head event of its kind in the name's stream; the log is applied in order,
/// so the next version is one more than the rows the table holds for the name.
struct VersionedTable {
    let table: String
    let kind: NamedKind
    private let nextVersion: SQLiteStatement
    private let retraction: SQLiteStatement
    private let updateLatest: SQLiteStatement

    init(_ kind: NamedKind, _ db: SQLiteDatabase) throws(ProjectionError) {
        self.kind = kind
        table = NamedTables.table(of: kind)
        nextVersion = try db.cachedStatement("SELECT coalesce(max(version), 0) + 1 FROM \(table) WHERE name = ?")
        retraction = try db.cachedStatement(
            "SELECT reason FROM retractions WHERE kind = ? AND name = ? AND version = ?")
        // `latest` marks the version a bare NAME means: the newest not retracted, else the newest.
        updateLatest = try db.cachedStatement(
            """
            UPDATE \(table) SET latest = (version = coalesce(
                (SELECT max(version) FROM \(table) WHERE name = ?1 AND retracted IS NULL),
                (SELECT max(version) FROM \(table) WHERE name = ?1)))
            WHERE name = ?1
            """)
    }

    /// The number the next head event of `name` gets.
    func next(_ name: String) throws(ProjectionError) -> Int64 {
        try nextVersion.bind(1, name)
        defer { nextVersion.reset() }
        return try nextVersion.scalar()?.int64Value ?? 1
    }

    /// The reason `name@version` was retracted, when a retraction came first (it normally comes after).
    func retracted(_ name: String, _ version: Int64) throws(ProjectionError) -> String? {
        try retraction.bind(1, kind.rawValue)
        try retraction.bind(2, name)
        try retraction.bind(3, version)
        defer { retraction.reset() }
        return try retraction.scalar()?.stringValue
    }

    /// Sets `latest` on the rows of `name` after a version was added or retracted.
    func refreshLatest(_ name: String) throws(ProjectionError) {
        try updateLatest.bind(1, name)
        try updateLatest.execute()
    }
}

/// Pins references to named things: `NAME@N` is N; a bare `NAME` is the newest version recorded so far, that
/// is before the referencing event (the log is applied in order), so the pin never moves later.
struct ReferencePins {
    private let latest: [NamedKind: SQLiteStatement]

    init(_ kinds: [NamedKind], _ db: SQLiteDatabase) throws(ProjectionError) {
        var latest: [NamedKind: SQLiteStatement] = [:]
        for kind in kinds {
            latest[kind] = try db.cachedStatement(
                "SELECT max(version) FROM \(NamedTables.table(of: kind)) WHERE name = ?")
        }
        self.latest = latest
    }

    /// The version `reference` names, nil when it names nothing recorded (or is nil).
    func version(_ reference: String?, _ kind: NamedKind) throws(ProjectionError) -> Int64? {
        guard let reference else { return nil }
        let name = VersionedName(parsing: reference)
        if let n = name.version { return Int64(n) }
        guard let select = latest[kind] else { return nil }
        try select.bind(1, name.name)
        defer { select.reset() }
        return try select.scalar()?.int64Value
    }

    /// The bare name of `reference` (`NAME@N` → `NAME`).
    static func name(_ reference: String?) -> String? {
        reference.map { VersionedName(parsing: $0).name }
    }
}
