import CSQLite
import SmithDomain
import SmithJSON
import SmithStore

/// Reads the log from a seq and applies each event to the projection that consumes its type, committing
/// every `batchSize` events together with the new `projection_state`.
///
/// Each batch is one `BEGIN IMMEDIATE` transaction that first re-reads `projection_state`: if another
/// process applied some of these events meanwhile they are skipped, so two catch-ups at once neither fail
/// nor apply anything twice. Payloads are parsed only for types a projection consumes, once each.
final class EventReplay {
    /// The projection (by index) and type of an event type name.
    struct Route: Sendable {
        let index: Int
        let type: EventType
    }

    /// An event a projection could not apply.
    struct Failure {
        var event: EventReference
        var projection: String
        var reason: String
        /// First seq of the batch that was rolled back because of it.
        var batchStart: UInt64
    }

    enum Outcome {
        case finished
        case failed(Failure)
    }

    /// Events per transaction of a large (pipelined) catch-up, at least: fewer commits rewrite fewer pages.
    static let bulkBatchSize = 100_000

    /// Another process reset the projections under this catch-up; start again from its state.
    struct RestartNeeded: Error {}

    private let db: SQLiteDatabase
    private let log: EventLog
    private let upcasters: Upcasters
    private let batchSize: Int
    private let projections: [any Projection]
    private let names: [String]
    private let routes: [String: Route]
    /// Per projection: the last seq it has applied, as of the current batch.
    private var lastSeqs: [UInt64]
    private let setLastSeq: SQLiteStatement
    private let clearRecoveredStops: SQLiteStatement

    /// Called after each committed batch (a bulk catch-up flushes its pages to disk meanwhile).
    var afterCommit: (() -> Void)?

    /// Seq of the last event committed, and events read, over this replay's whole life.
    private(set) var committedThrough: UInt64 = 0
    private(set) var eventsRead = 0

    /// Rows of the `KeyedTable`s named in `appendOnly` are appended without their key index (see `KeyedUpsert`).
    init(
        db: SQLiteDatabase, log: EventLog, upcasters: Upcasters, batchSize: Int, appendOnly: Set<String> = []
    ) throws {
        self.db = db
        self.log = log
        self.upcasters = upcasters
        self.batchSize = max(1, batchSize)
        let context = ProjectionContext(database: db, log: log, appendOnly: appendOnly)
        let types = ProjectionCatalog.all
        projections = try types.map { try $0.init(context) }
        names = types.map { $0.name }
        var routes: [String: Route] = [:]
        for (index, type) in types.enumerated() {
            for eventType in type.eventTypes { routes[eventType.rawValue] = Route(index: index, type: eventType) }
        }
        self.routes = routes
        lastSeqs = Array(repeating: 0, count: types.count)
        setLastSeq = try db.cachedStatement("UPDATE projection_state SET last_seq = ?1 WHERE last_seq < ?1")
        clearRecoveredStops = try db.cachedStatement(
            """
            UPDATE projection_state SET stopped_seq = NULL, stopped_type = NULL, stopped_stream = NULL,
                stopped_reason = NULL
            WHERE stopped_seq IS NOT NULL AND stopped_seq <= last_seq
            """)
        try loadState()
        committedThrough = lastSeqs.min() ?? 0
    }

    /// The first seq some projection still needs.
    var nextSeq: UInt64 { (lastSeqs.min() ?? 0) + 1 }

    /// Applies events from `from` (until `until`, exclusive, when given), committing every batch.
    ///
    /// Returns `.failed` at the first event a projection cannot apply, with that event's batch rolled back;
    /// throws for anything else (SQLite, the log), with the current batch rolled back. With `pipelined`, a
    /// second thread reads the log and scans payloads while this one writes to SQLite.
    func run(
        from: UInt64, until: UInt64? = nil, target: UInt64, pipelined: Bool = false,
        progress: ((CatchUpProgress) -> Void)?
    )
        throws -> Outcome
    {
        var inTransaction = false
        var batchStart: UInt64 = 0
        var inBatch = 0
        var lastSeen: UInt64 = from - 1
        var failure: Failure?
        // Applies one event (routed to its projection by `route`, its payload read by `fields`); false to stop.
        func step(_ event: RecordedEvent, _ route: Route?, _ fields: (Route) throws -> PayloadFields) throws -> Bool {
            if let until, event.seq >= until { return false }
            if !inTransaction {
                try db.exec("BEGIN IMMEDIATE")
                inTransaction = true
                batchStart = event.seq
                let before = lastSeqs
                try loadState()
                if zip(before, lastSeqs).contains(where: { $1 < $0 }) { throw RestartNeeded() }
            }
            if let route, event.seq > lastSeqs[route.index] {
                do {
                    var payload = try fields(route)
                    try projections[route.index].apply(event, route.type, &payload)
                } catch {
                    guard let reason = Self.eventFault(error) else { throw error }
                    failure = Failure(
                        event: EventReference(seq: event.seq, type: event.type, stream: event.stream),
                        projection: names[route.index], reason: reason, batchStart: batchStart)
                    return false
                }
            }
            lastSeen = event.seq
            eventsRead += 1
            inBatch += 1
            if inBatch >= (pipelined ? max(batchSize, Self.bulkBatchSize) : batchSize) {
                try commit(through: lastSeen)
                inTransaction = false
                inBatch = 0
                progress?(CatchUpProgress(appliedThrough: lastSeen, target: target, eventsRead: eventsRead))
            }
            return true
        }
        do {
            if pipelined {
                try EventPipe.run(log: log, from: from, prepare: preparer()) { item in
                    try step(item.event, item.route) { _ in try item.fields!.get() }
                }
            } else {
                try log.forEach(from: from) { event in
                    try step(event, routes[event.type]) { route in try self.fields(event, route) }
                }
            }
            if let failure {
                for projection in projections { projection.discardPending() }
                try db.exec("ROLLBACK")
                eventsRead -= inBatch
                return .failed(failure)
            }
            if inTransaction {
                try commit(through: lastSeen)
                progress?(CatchUpProgress(appliedThrough: lastSeen, target: target, eventsRead: eventsRead))
            }
            return .finished
        } catch {
            for projection in projections { projection.discardPending() }
            if db.isInTransaction { try? db.exec("ROLLBACK") }
            throw error
        }
    }

    /// What the reading thread does with each event: scans the payload of the types a projection consumes.
    private func preparer() -> @Sendable (RecordedEvent) -> EventPipe.Item {
        let routes = routes
        let upcasters = upcasters
        return { event in
            guard let route = routes[event.type] else { return EventPipe.Item(event: event, route: nil, fields: nil) }
            return EventPipe.Item(
                event: event, route: route, fields: Result { try Self.fields(event, route, upcasters) })
        }
    }

    /// Records in `projection_state` that `failure.projection` stopped at `failure.event`.
    func recordStop(_ failure: Failure) throws {
        let update = try db.prepare(
            """
            UPDATE projection_state SET stopped_seq = ?, stopped_type = ?, stopped_stream = ?, stopped_reason = ?
            WHERE projection = ?
            """)
        try update.bind(1, Int64(bitPattern: failure.event.seq))
        try update.bind(2, failure.event.type)
        try update.bind(3, failure.event.stream)
        try update.bind(4, failure.reason)
        try update.bind(5, failure.projection)
        try db.transaction(.immediate) { try update.execute() }
    }

    private func commit(through seq: UInt64) throws {
        for projection in projections { try projection.flushPending() }
        try setLastSeq.bind(1, Int64(bitPattern: seq))
        try setLastSeq.execute()
        try clearRecoveredStops.execute()
        try db.exec("COMMIT")
        for i in lastSeqs.indices where lastSeqs[i] < seq { lastSeqs[i] = seq }
        committedThrough = seq
        afterCommit?()
    }

    private func loadState() throws {
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        try db.cachedStatement("SELECT projection, last_seq FROM projection_state").forEachRow { row in
            if let name = row.string(0), let i = index[name] { lastSeqs[i] = UInt64(max(0, row.int64(1))) }
            return true
        }
    }

    private func fields(_ event: RecordedEvent, _ route: Route) throws -> PayloadFields {
        try Self.fields(event, route, upcasters)
    }

    /// The payload's fields, upcast to the type's current version when it is older.
    private static func fields(
        _ event: RecordedEvent, _ route: Route, _ upcasters: Upcasters
    ) throws
        -> PayloadFields
    {
        if event.schemaVersion == route.type.currentVersion {
            return try PayloadFields(bytes: event.payloadBytes)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(event.payloadBytes)
        } catch {
            throw ApplyFailure("its payload is not valid JSON (\(error))")
        }
        return try PayloadFields(upcasters.upcast(parsed, type: route.type, from: event.schemaVersion))
    }

    /// The reason when `error` is the event's fault (a payload or constraint problem); nil when it is the
    /// environment's (disk, locks, the log), which must not mark the event as unappliable.
    private static func eventFault(_ error: any Error) -> String? {
        if let failure = error as? ApplyFailure { return failure.reason }
        if let error = error as? ProjectionError, let code = error.sqliteCode,
            [SQLITE_CONSTRAINT, SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE].contains(code & 0xff)
        {
            return error.message
        }
        return nil
    }
}
