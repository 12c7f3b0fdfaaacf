import SmithDomain
import SmithStore

/// `retractions`, and the `retracted` reason on the retracted version's row (its `latest` moves to the newest
/// version still standing). Nothing is deleted: the row stays, marked.
final class RetractionProjection: Projection {
    static let name = "retractions"
    static let eventTypes: [EventType] = [.retracted]

    private let insertRetraction: SQLiteStatement
    private var tables: [NamedKind: (versions: VersionedTable, mark: SQLiteStatement)] = [:]

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        insertRetraction = try db.cachedStatement(
            """
            INSERT OR IGNORE INTO retractions (kind, name, version, reason, recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for kind in NamedKind.allCases {
            let versions = try VersionedTable(kind, db)
            let mark = try db.cachedStatement(
                "UPDATE \(versions.table) SET retracted = ? WHERE name = ? AND version = ? AND retracted IS NULL")
            tables[kind] = (versions, mark)
        }
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        guard case .retracted(let r) = decoded, let table = tables[r.kind] else { return }
        var p = Parameters(insertRetraction)
        try p.add(r.kind.rawValue)
        try p.add(r.name)
        try p.add(r.version)
        try p.add(r.reason)
        try p.add(event.recordedAt)
        try p.add(event.seq)
        try p.execute()
        // The first retraction of a version stands (as `EventLog.versions` reads them).
        var mark = Parameters(table.mark)
        try mark.add(r.reason)
        try mark.add(r.name)
        try mark.add(r.version)
        try mark.execute()
        try table.versions.refreshLatest(r.name)
    }
}
