import CSQLite
import SmithDomain
import SmithStore

/// Reads the log from a seq and applies each event to the projection that consumes its type, committing
/// every `batchSize` events together with the new `projection_state`.
///
/// Each batch is one `BEGIN IMMEDIATE` transaction that first re-reads `projection_state`: if another
/// process applied some of these events meanwhile they are skipped, so two catch-ups at once neither fail
/// nor apply anything twice. Events are decoded (as their Domain types) only for types a projection
/// consumes, once each; the events listed in `skipped_events` are passed over.
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
    private let batchSize: Int
    private let projections: [any Projection]
    private let names: [String]
    private let routes: [String: Route]
    /// Per projection: the last seq it has applied, as of the current batch.
    private var lastSeqs: [UInt64]
    private let setLastSeq: SQLiteStatement
    /// Seqs of the events recorded in `skipped_events`: never applied again.
    private let skipped: Set<UInt64>

    /// Called after each committed batch (a bulk catch-up flushes its pages to disk meanwhile).
    var afterCommit: (() -> Void)?

    /// Seq of the last event committed, and events read, over this replay's whole life.
    private(set) var committedThrough: UInt64 = 0
    private(set) var eventsRead = 0

    /// Rows of the `KeyedTable`s named in `appendOnly` are appended without their key index (see `KeyedUpsert`).
    init(
        db: SQLiteDatabase, log: EventLog, batchSize: Int, appendOnly: Set<String> = []
    ) throws {
        self.db = db
        self.log = log
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
        skipped = try SkippedEvents.seqs(db)
        try loadState()
        committedThrough = lastSeqs.min() ?? 0
    }

    /// The first seq some projection still needs.
    var nextSeq: UInt64 { (lastSeqs.min() ?? 0) + 1 }

    /// Applies events from `from` (until `until`, exclusive, when given), committing every batch.
    ///
    /// Returns `.failed` at the first event a projection cannot apply, with that event's batch rolled back
    /// (the engine records it as skipped and replays from the batch with a new `EventReplay`); throws for
    /// anything else (SQLite, the log), with the current batch rolled back. With `pipelined`, a second thread
    /// reads the log and decodes events while this one writes to SQLite.
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
        let skipped = self.skipped
        // Applies one event (routed to its projection by `route`, decoded by `decode`); false to stop.
        func step(
            _ event: RecordedEvent, _ route: Route?,
            _ decode: (Route) throws(EventDecodingError) -> ProjectedEvent
        ) throws -> Bool {
            if let until, event.seq >= until { return false }
            if !inTransaction {
                try db.exec("BEGIN IMMEDIATE")
                inTransaction = true
                batchStart = event.seq
                let before = lastSeqs
                try loadState()
                if zip(before, lastSeqs).contains(where: { $1 < $0 }) { throw RestartNeeded() }
            }
            if let route, event.seq > lastSeqs[route.index], skipped.isEmpty || !skipped.contains(event.seq) {
                do {
                    try projections[route.index].apply(event, try decode(route))
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
                    try step(item.event, item.route) { _ throws(EventDecodingError) in try item.decoded!.get() }
                }
            } else {
                try log.forEach(from: from) { event in
                    try step(event, routes[event.type]) { route throws(EventDecodingError) in
                        try ProjectedEvent.decode(event, as: route.type)
                    }
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

    /// What the reading thread does with each event: decodes the types a projection consumes.
    private func preparer() -> @Sendable (RecordedEvent) -> EventPipe.Item {
        let routes = routes
        return { event in
            guard let route = routes[event.type] else { return EventPipe.Item(event: event, route: nil, decoded: nil) }
            return EventPipe.Item(
                event: event, route: route,
                decoded: Result { () throws(EventDecodingError) in try ProjectedEvent.decode(event, as: route.type) })
        }
    }

    private func commit(through seq: UInt64) throws {
        for projection in projections { try projection.flushPending() }
        try setLastSeq.bind(1, Int64(bitPattern: seq))
        try setLastSeq.execute()
        try db.exec("COMMIT")
        for i in lastSeqs.indices where lastSeqs[i] < seq { lastSeqs[i] = seq }
        committedThrough = seq
        afterCommit?()
    }

    private func loadState() throws {
        let rows = try ProjectionState.lastSeqs(db)
        for (i, name) in names.enumerated() { if let seq = rows[name] { lastSeqs[i] = seq } }
    }

    /// The reason when `error` is the event's fault (a payload or constraint problem); nil when it is the
    /// environment's (disk, locks, the log), which must not mark the event as unappliable.
    private static func eventFault(_ error: any Error) -> String? {
        if let failure = error as? ApplyFailure { return failure.reason }
        if let failure = error as? EventDecodingError { return failure.message }
        if let error = error as? ProjectionError, let code = error.sqliteCode,
            [SQLITE_CONSTRAINT, SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE].contains(code & 0xff)
        {
            return error.message
        }
        return nil
    }
}
