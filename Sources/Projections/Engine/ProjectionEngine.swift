public import SmithStore

/// The SQLite read side of one store: keeps `<store>/projections.sqlite` caught up with the event log.
///
/// Opening checks the file and resets it when it is missing, not a database, or of another schema
/// version; the next `catchUp` then replays the whole log and reports why in `CatchUpReport.rebuilt`.
/// `catchUp` applies the events after those already applied in batched transactions; it never writes to
/// the log. An event a projection cannot apply (unreadable, written by a newer smithlog, refused by the
/// applier) is recorded once in `skipped_events` and passed over: every other event still applies, and
/// `skippedEvents()` lists them for `smithlog verify` and the queries' warning. Queries run on a separate
/// read-only connection (see `ProjectionReader`).
///
/// Not thread-safe; open one engine per thread or process. Several processes may catch up the same file
/// at once: batches wait for each other and no event is applied twice.
public final class ProjectionEngine {
    /// The projection schema version this code writes (`PRAGMA user_version` of the file).
    public static var schemaVersion: Int64 { ProjectionSchema.version }
    /// Events per transaction when catching up.
    public static let defaultBatchSize = 10_000

    public let path: String
    public let batchSize: Int
    private var database: SQLiteDatabase
    private var reader: ProjectionReader?
    /// The log of the last catch-up: queries read dataset rows from it (`instance_rows`).
    private var rowLog: EventLog?
    /// Catch-ups reading at least this many events build the secondary indexes after the rows (tests lower it).
    var bulkLoadThreshold = SecondaryIndexes.bulkThreshold
    /// Why the file was reset when it was opened; the next catch-up replays from the start and reports it.
    public private(set) var pendingRebuild: RebuildReason?

    /// Opens the projections of the store at `store`: its `projections.sqlite`, or this user's private copy
    /// when the store is not theirs to write (see ``ProjectionPlace``).
    public convenience init(store: StoreLocation, batchSize: Int = defaultBatchSize) throws {
        let place = ProjectionPlace(store: store)
        try self.init(path: place.path, sharing: place.sharing, batchSize: batchSize)
    }

    /// Opens (creating or resetting as needed) the projections file at `path`; files it creates get
    /// `sharing`'s mode.
    public init(path: String, sharing: StoreSharing = .owner, batchSize: Int = defaultBatchSize) throws {
        self.path = path
        self.batchSize = batchSize
        (database, pendingRebuild) = try ProjectionFile.open(path: path, sharing: sharing)
    }

    /// Applies every event after the last applied one.
    ///
    /// An event a projection cannot apply is recorded in `skipped_events` (see `CatchUpReport.skipped`) and
    /// passed over. Throws only for the environment (SQLite, the log). `progress` is called after each
    /// committed batch.
    @discardableResult
    public func catchUp(log: EventLog, progress: ((CatchUpProgress) -> Void)? = nil) throws -> CatchUpReport {
        if rowLog !== log {
            rowLog = log
            reader = nil
        }
        let clock = ContinuousClock()
        let start = clock.now
        var rebuilt = pendingRebuild
        var attempts = 0
        while true {
            attempts += 1
            do {
                var report = try replay(log: log, progress: progress)
                pendingRebuild = nil
                report.rebuilt = rebuilt
                report.elapsed = clock.now - start
                return report
            } catch let error as ProjectionError where error.code == .notADatabase && attempts == 1 {
                // Damage found mid-way (a page, not the header): the file is disposable, so start over.
                try reset(.notADatabase(error.message), deleteFile: true)
                rebuilt = pendingRebuild
            } catch is EventReplay.RestartNeeded {
                // Another process rebuilt the projections under us; continue from what it left.
                guard attempts < 5 else {
                    pendingRebuild = nil
                    throw ProjectionError(
                        .busy, "another process keeps rebuilding the projections; try again", path: path)
                }
            } catch {
                // The reset (if any) happened; the error is what the caller needs to see now.
                pendingRebuild = nil
                throw error
            }
        }
    }

    /// Empties every projection and replays the whole log.
    @discardableResult
    public func rebuild(log: EventLog, progress: ((CatchUpProgress) -> Void)? = nil) throws -> CatchUpReport {
        try reset(.requested, deleteFile: false)
        return try catchUp(log: log, progress: progress)
    }

    /// The rows of `projection_state`, in projection order.
    public func state() throws -> [ProjectionState] {
        let rows = try ProjectionState.lastSeqs(database)
        return ProjectionCatalog.all.compactMap { p in
            rows[p.name].map { ProjectionState(projection: p.name, lastSeq: $0) }
        }
    }

    /// The events the projections could not apply and passed over, in seq order (`smithlog verify` lists them).
    public func skippedEvents() throws -> [SkippedEvent] {
        try SkippedEvents.all(database)
    }

    /// Runs one read-only SQL statement with `arguments` bound to its `?` parameters, in order, and returns
    /// all its rows; anything that would write is refused.
    public func query(sql: String, arguments: [SQLValue] = []) throws -> (columns: [String], rows: [[SQLValue]]) {
        try queryReader().query(sql: sql, arguments: arguments)
    }

    /// Runs one read-only SQL statement with `arguments` bound, streaming rows to `row` (return false to stop).
    public func query(
        sql: String, arguments: [SQLValue] = [], columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Bool
    ) throws {
        try queryReader().query(sql: sql, arguments: arguments, columns: columns, row: row)
    }

    /// Runs one read-only statement with `arguments` bound, handing `row` each row as SQLite holds it (valid only
    /// during the call; return false to stop); see `ProjectionReader.forEachRow(sql:arguments:_:)`.
    public func forEachRow(sql: String, arguments: [SQLValue] = [], _ row: (SQLiteRow) throws -> Bool) throws {
        try queryReader().forEachRow(sql: sql, arguments: arguments, row)
    }

    // MARK: Internals

    private func queryReader() throws -> ProjectionReader {
        if let reader { return reader }
        let opened = try ProjectionReader(path: path, log: rowLog)
        reader = opened
        return opened
    }

    /// Empties the projections (deleting the file when it is damaged) and remembers why.
    private func reset(_ reason: RebuildReason, deleteFile: Bool) throws {
        reader = nil
        if deleteFile {
            database = try SQLiteDatabase(path: ":memory:")  // closes the damaged file's connection
            try ProjectionFile.delete(path: path)
            database = try SQLiteDatabase(path: path)
            try ProjectionFile.tuneForCatchUp(database)
        }
        try ProjectionFile.resetSchema(database)
        pendingRebuild = reason
    }

    private func replay(log: EventLog, progress: ((CatchUpProgress) -> Void)?) throws -> CatchUpReport {
        let target = try readLog { try log.lastSeq() }
        // Nothing new, every query's case: known from projection_state alone, without making every projection
        // (which prepares their statements: a millisecond and more of each query's time).
        let applied = try appliedThrough()
        if applied >= target {
            return CatchUpReport(rebuilt: nil, fromSeq: 0, lastAppliedSeq: applied, eventsRead: 0, elapsed: .zero)
        }
        var replay = try EventReplay(db: database, log: log, batchSize: batchSize)
        let from = replay.nextSeq
        guard from <= target else {
            return CatchUpReport(
                rebuilt: nil, fromSeq: 0, lastAppliedSeq: replay.committedThrough, eventsRead: 0, elapsed: .zero)
        }
        try ProjectionFile.tuneForCatchUp(database, events: target - from + 1)
        // A large catch-up (a rebuild, say) fills the tables first and builds the indexes after.
        let bulk = target - from + 1 >= bulkLoadThreshold
        var unjournaled = false
        if bulk {
            reader = nil  // an open reader would keep the file in WAL mode
            unjournaled = try BulkLoad.begin(database)
        }
        var skipped: [SkippedEvent] = []
        var eventsRead = 0
        do {
            var appendOnly: Set<String> = []
            if bulk {
                // With the file to itself, rows of empty keyed tables are appended and keyed at the end.
                if unjournaled { appendOnly = try SecondaryIndexes.emptyKeyedTables(database) }
                try SecondaryIndexes.drop(database, keys: appendOnly)
                if !appendOnly.isEmpty {
                    try ProjectionFile.tuneForAppending(database)
                    replay = try EventReplay(db: database, log: log, batchSize: batchSize, appendOnly: appendOnly)
                }
            }
            let flush = unjournaled ? BackgroundFlush(databasePath: path) : nil
            while true {
                replay.afterCommit = flush?.request
                let outcome = try readLog {
                    try replay.run(from: replay.nextSeq, target: target, pipelined: bulk, progress: progress)
                }
                eventsRead += replay.eventsRead
                guard case .failed(let failure) = outcome else { break }
                // The batch was rolled back: record the event as skipped and replay the batch without it. A
                // fresh replay, because the appliers' key maps still hold the rolled-back rows.
                try SkippedEvents.record(failure, database)
                skipped.append(
                    SkippedEvent(event: failure.event, projection: failure.projection, reason: failure.reason))
                replay = try EventReplay(db: database, log: log, batchSize: batchSize, appendOnly: appendOnly)
            }
        } catch {
            if unjournaled {
                try? BulkLoad.end(database) { try SecondaryIndexes.restore(database) }
            } else if bulk {
                try? SecondaryIndexes.restore(database)
            }
            throw error
        }
        if unjournaled {
            try BulkLoad.end(database) { try SecondaryIndexes.restore(database) }
        } else if bulk {
            try SecondaryIndexes.restore(database)
        }
        return CatchUpReport(
            rebuilt: nil, fromSeq: from, lastAppliedSeq: replay.committedThrough, eventsRead: eventsRead,
            skipped: skipped, elapsed: .zero)
    }

    /// The last seq every projection has applied: the least `last_seq` of the catalog's projections (0 for one
    /// without a row), as `EventReplay` starts from.
    private func appliedThrough() throws -> UInt64 {
        let rows = try ProjectionState.lastSeqs(database)
        return ProjectionCatalog.all.map { rows[$0.name] ?? 0 }.min() ?? 0
    }

    /// Runs `body`, turning log errors into `ProjectionError(.log)` so callers see one error type; except a
    /// damaged log's (`.corrupt`), which must reach the caller as it is (the CLI exits 4 for it).
    private func readLog<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LogError where error.code == .corrupt {
            throw error
        } catch let error as LogError {
            throw ProjectionError(.log, "cannot read the event log: \(error)", path: error.path)
        }
    }
}

// One connection, one thread.
@available(*, unavailable)
extension ProjectionEngine: Sendable {}
