import SmithDomain
import SmithStore

/// `subsets` and `subset_members`: each subset name's definition in force and its members.
///
/// A member belongs to the definition named by its `definition` field. A new definition of a name
/// replaces the old one and drops the old members; members of a replaced definition are ignored, and
/// members may come before their definition (see `MembershipRule`).
final class SubsetProjection: Projection {
    static let name = "subsets"
    static let eventTypes: [EventType] = [.subsetDefined, .instanceSelected]

    private let upsertSubset: SQLiteStatement
    private let dropOtherMembers: SQLiteStatement
    private let definitionInForce: SQLiteStatement
    private let upsertMember: SQLiteStatement
    private let log: EventLog

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        log = context.log
        upsertSubset = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO subsets (name, definition, dataset, dataset_sha256, condition, members,
                recorded_at, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        dropOtherMembers = try db.cachedStatement("DELETE FROM subset_members WHERE subset = ? AND definition <> ?")
        definitionInForce = try db.cachedStatement("SELECT definition, seq FROM subsets WHERE name = ?")
        upsertMember = try db.cachedStatement(
            """
            INSERT OR REPLACE INTO subset_members (subset, position, instance_id, definition, seq)
            VALUES (?, ?, ?, ?, ?)
            """)
    }

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws {
        switch type {
        case .subsetDefined:
            let name = try fields.string("name")
            let definition = event.id.hex
            var p = Parameters(upsertSubset)
            try p.add(name)
            try p.add(definition)
            try p.add(fields.string("dataset"))
            try p.add(fields.string("dataset_sha256"))
            try p.add(fields.string("condition"))
            try p.add(fields.int("members"))
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.execute()
            var drop = Parameters(dropOtherMembers)
            try drop.add(name)
            try drop.add(definition)
            try drop.execute()
        case .instanceSelected:
            let subset = try fields.string("subset")
            let definition = try fields.hexDigest("definition")
            let instanceID = try fields.string("instance_id")
            let position = try fields.int("position")
            try definitionInForce.bind(1, subset)
            var inForce: (id: String, seq: Int64)?
            try definitionInForce.forEachRow { row in
                inForce = (row.string(0) ?? "", row.int64(1))
                return false
            }
            guard try MembershipRule.belongs(parent: definition, stream: event.stream, inForce: inForce, log: log)
            else { return }
            var p = Parameters(upsertMember)
            try p.add(subset)
            try p.add(position)
            try p.add(instanceID)
            try p.add(definition)
            try p.add(event.seq)
            try p.execute()
        default:
            break
        }
    }
}
