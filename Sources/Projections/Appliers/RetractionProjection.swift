import SmithDomain
import SmithStore

/// `retractions`, and the `retracted` reason on the retracted version's row (its `latest` moves to the newest
/// version still standing). Nothing is deleted: the row stays, marked. A released name version (`NameReleased`,
/// after a push refused for a name conflict) is marked the same way, found by its head event's id.
final class RetractionProjection: Projection {
    static let name = "retractions"
    static let eventTypes: [EventType] = [.retracted, .nameReleased]

    private let insertRetraction: SQLiteStatement
    private var tables: [NamedKind: (versions: VersionedTable, mark: SQLiteStatement)] = [:]
    private var versionAt: [NamedKind: SQLiteStatement] = [:]
    private let log: EventLog

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        log = context.log
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
            versionAt[kind] = try db.cachedStatement("SELECT version FROM \(versions.table) WHERE name = ? AND seq = ?")
        }
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        if case .nameReleased(let r) = decoded {
            try released(r, event)
            return
        }
        guard case .retracted(let r) = decoded else { return }
        try retract(r, event)
    }

    /// A released head is marked as its version here: the number the releasing store gave may differ.
    private func released(_ r: NameReleased, _ event: RecordedEvent) throws {
        guard let find = versionAt[r.kind], let seq = try log.seq(of: r.event, stream: r.kind.stream(r.name)) else {
            return
        }
        try find.bind(1, r.name)
        try find.bind(2, Int64(seq))
        defer { find.reset() }
        guard let version = try find.scalar()?.int64Value else { return }
        try retract(
            Retracted(kind: r.kind, name: r.name, version: Int(version), reason: "name released: " + r.reason), event)
    }

    private func retract(_ r: Retracted, _ event: RecordedEvent) throws {
        guard let table = tables[r.kind] else { return }
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
