import Foundation
public import SmithDomain
public import SmithProjections
public import SmithStore

/// The store as the web UI reads it: the event log opened read-only and the projections, caught up with the log
/// before each read when it has grown (so a page reflects an ingest that finished before it was requested).
///
/// The SQLite connection is not shared across threads: every read holds one lock. The server never appends to
/// the log; only the projections file (a cache rebuilt from the log) is written by a catch-up.
public final class WebStore: @unchecked Sendable {
    public let log: EventLog
    let engine: ProjectionEngine
    private let lock = NSLock()
    private var appliedThrough: UInt64 = 0
    /// Benchmark results' parsed id lists, by blob digest (the leaderboard's ties).
    let scoredLists = ScoredListCache()
    /// Results kept by ``cachedQuery(_:_:)``, valid for the projections as caught up through `cachedThrough`.
    private var cached: [CachedQuery: [[SQLValue]]] = [:]
    private var cachedThrough: UInt64 = 0

    /// Opens the store at `location`: a missing store throws `LogError(.notFound)`, a damaged one
    /// `LogError(.corrupt)` (the CLI maps them to exit 3 and 4).
    public init(location: StoreLocation) throws {
        try location.checkExists()
        log = try EventLog.openForPipeline(at: location, readOnly: true, memory: .flatMemory)
        engine = try ProjectionEngine(store: location)
        try lock.withLock { try catchUpIfNeeded() }
    }

    /// Reads `log`, already open (a process must not open one LMDB environment twice), with the projections of
    /// the store at `location`.
    public init(log: EventLog, location: StoreLocation) throws {
        self.log = log
        engine = try ProjectionEngine(store: location)
        try lock.withLock { try catchUpIfNeeded() }
    }

    /// Runs `body` with the log and the caught-up projections, one reader at a time.
    func read<T>(_ body: (EventLog, ProjectionEngine) throws -> T) throws -> T {
        try lock.withLock {
            try catchUpIfNeeded()
            return try body(log, engine)
        }
    }

    /// Runs an SQL query on the caught-up projections, with bound arguments.
    func query(_ sql: String, _ arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        try read { _, engine in try engine.query(sql: sql, arguments: arguments).rows }
    }

    /// The rows `sql` gives with `arguments`, kept until the projections next change: for figures a page shows on
    /// every request that cost more than the rest of the page (the runs page's per-run counts, at a team's size a
    /// few ms a run). Nothing cached outlives a catch-up.
    func cachedQuery(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        let key = CachedQuery(sql: sql, arguments: arguments)
        return try read { _, engine in
            if cachedThrough != appliedThrough {
                cached.removeAll(keepingCapacity: true)
                cachedThrough = appliedThrough
            }
            if let known = cached[key] { return known }
            let rows = try engine.query(sql: sql, arguments: arguments).rows
            // Bounded: a few thousand runs' worth, then start over.
            if cached.count >= 4096 { cached.removeAll(keepingCapacity: true) }
            cached[key] = rows
            return rows
        }
    }

    private func catchUpIfNeeded() throws {
        let last = try log.lastSeq()
        guard last != appliedThrough else { return }
        let report = try engine.catchUp(log: log)
        appliedThrough = max(report.lastAppliedSeq, last)
    }
}

/// What ``WebStore/cachedQuery(_:_:)`` keeps its rows under: the statement and its arguments.
private struct CachedQuery: Hashable {
    let sql: String
    let arguments: [SQLValue]
}
