import SmithDomain
import SmithStore

/// `subsets` and `subset_members`: every definition of a subset name (a row per version) and the members of
/// each, pinned to it by `definition` (the SubsetDefined's event id).
///
/// A version 2 definition's members are read from its members blob when it is applied (their `seq` is the
/// definition's); a version 1 definition's come as InstanceSelected events (their own `seq`), which may come
/// before their definition.
final class SubsetProjection: Projection {
    static let name = "subsets"
    static let eventTypes: [EventType] = [.subsetDefined, .instanceSelected]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertSubset: SQLiteStatement
    private let upsertMember: SQLiteStatement
    private let log: EventLog
    private let database: SQLiteDatabase
    /// The page cache while a members blob's rows are inserted, in KiB.
    static let membersCacheKiB = 4 * 1024

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        log = context.log
        database = db
        versions = try VersionedTable(.subset, db)
        pins = try ReferencePins([.dataset], db)
        insertSubset = try db.cachedStatement(
            """
            INSERT INTO subsets (name, version, latest, retracted, definition, dataset, dataset_version,
                dataset_sha256, condition, members, recorded_at, seq)
            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertMember = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO subset_members (subset, position, instance_id, definition, seq)
            VALUES (?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        switch decoded {
        case .subsetDefined(let s):
            let version = try versions.next(s.name)
            var p = Parameters(insertSubset)
            try p.add(s.name)
            try p.add(version)
            try p.add(versions.retracted(s.name, version))
            try p.addHex(event.id)
            try p.add(s.dataset)
            try p.add(pins.version(s.dataset, .dataset))
            try p.addHex(s.datasetSHA256)
            try p.add(s.condition)
            try p.add(s.members)
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
            try versions.refreshLatest(s.name)
            if s.membersSHA256 != nil {
                // A subset can hold most of a dataset, and its rows stay dirty in the page cache until the
                // catch-up commits: with the catch-up's 32 MB cache, subset create's memory followed the subset's
                // size (+18 MB for 25,000 members). A small cache while they go in spills them to the WAL instead.
                let previous = try database.prepare("PRAGMA cache_size").scalar()?.int64Value ?? -2000
                try database.exec("PRAGMA cache_size = -\(Self.membersCacheKiB)")
                defer { try? database.exec("PRAGMA cache_size = \(previous)") }
                try log.forEachSubsetMember(of: event, s) { position, instance in
                    try addMember(s.name, position, instance, definition: event.id, seq: event.seq)
                    return true
                }
            }
        case .instanceSelected(let m):
            try addMember(m.subset, m.position, m.instanceID, definition: m.definition, seq: event.seq)
        default:
            break
        }
    }

    private func addMember(_ subset: String, _ position: Int, _ id: String, definition: Digest, seq: UInt64) throws {
        var p = Parameters(upsertMember)
        try p.add(subset)
        try p.add(position)
        try p.add(id)
        try p.addHex(definition)
        try p.add(seq)
        try p.execute()
    }
}
