/// The version of a name in force for its children (trajectories of a run, verdicts of an eval run): the
/// newest head recorded so far, 1 before any, remembered for the name met last.
///
/// Children come in long runs of one name, so one remembered name spares a query per event. The owner
/// forgets it at each commit, since another process may record a version between two batches.
struct VersionInForce {
    private let select: SQLiteStatement
    private var name = ""
    private var version: Int64 = 0

    init(_ table: String, _ db: SQLiteDatabase) throws(ProjectionError) {
        select = try db.cachedStatement("SELECT max(version) FROM \(table) WHERE name = ?")
    }

    mutating func of(_ name: String) throws(ProjectionError) -> Int64 {
        if version > 0, name == self.name { return version }
        try select.bind(1, name)
        defer { select.reset() }
        self.name = name
        version = max(1, try select.scalar()?.int64Value ?? 1)
        return version
    }

    /// A head event recorded `version` of `name`.
    mutating func recorded(_ name: String, _ version: Int64) {
        self.name = name
        self.version = version
    }

    mutating func forget() { version = 0 }
}
