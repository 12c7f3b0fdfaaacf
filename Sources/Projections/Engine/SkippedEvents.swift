/// An event a projection could not apply: recorded once in `skipped_events`, passed over by every catch-up.
public struct SkippedEvent: Sendable, Equatable, CustomStringConvertible {
    public var event: EventReference
    /// The projection that could not apply it.
    public var projection: String
    public var reason: String

    public init(event: EventReference, projection: String, reason: String) {
        self.event = event
        self.projection = projection
        self.reason = reason
    }

    /// `event 42 (InstanceRegistered, instance/) could not be applied to 'datasets': ...`.
    public var description: String { "\(event) could not be applied to '\(projection)': \(reason)" }
}

/// The `skipped_events` table: written when a catch-up meets an event it cannot apply, read by every catch-up
/// (those seqs are not applied again) and by `smithlog verify`.
enum SkippedEvents {
    /// Records `failure`, in a transaction of its own, so the next replay passes over the event.
    static func record(_ failure: EventReplay.Failure, _ db: SQLiteDatabase) throws {
        let insert = try db.prepare(
            "INSERT OR IGNORE INTO skipped_events (seq, type, stream, projection, reason) VALUES (?, ?, ?, ?, ?)")
        try insert.bind(1, Int64(bitPattern: failure.event.seq))
        try insert.bind(2, failure.event.type)
        try insert.bind(3, failure.event.stream)
        try insert.bind(4, failure.projection)
        try insert.bind(5, failure.reason)
        try db.transaction(.immediate) { try insert.execute() }
    }

    static func seqs(_ db: SQLiteDatabase) throws -> Set<UInt64> {
        var seqs = Set<UInt64>()
        try db.cachedStatement("SELECT seq FROM skipped_events").forEachRow { row in
            seqs.insert(UInt64(max(0, row.int64(0))))
            return true
        }
        return seqs
    }

    static func all(_ db: SQLiteDatabase) throws -> [SkippedEvent] {
        var found: [SkippedEvent] = []
        try db.prepare("SELECT seq, type, stream, projection, reason FROM skipped_events ORDER BY seq").forEachRow {
            row in
            found.append(
                SkippedEvent(
                    event: EventReference(
                        seq: UInt64(max(0, row.int64(0))), type: row.string(1) ?? "", stream: row.string(2) ?? ""),
                    projection: row.string(3) ?? "", reason: row.string(4) ?? ""))
            return true
        }
        return found
    }
}
