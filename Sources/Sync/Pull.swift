import Dispatch
import NIOCore
import PostgresNIO
public import SmithStore
import Synchronization

/// `smithlog pull`: appends the remote's events this store lacks, with the blobs they cite.
///
/// Reads events in the order of the transactions that inserted them, `(tx, global_pos)`, up to the horizon
/// ``PullHorizon`` gives: identity values are handed out in insertion order, not commit order, so a position
/// read past a slow writer's uncommitted rows would skip them for good once they commit; the pull stops before
/// the oldest transaction in progress that is writing events (its events are delayed, never skipped) and
/// remembers the other transactions in progress it reads past, whose events (if any) it fetches by `tx` once
/// they have ended. The cursor (``PullCursor``) is stored in the local log in the same LMDB transaction as the
/// events, so that a pull killed at any moment resumes exactly. Each event's content is checked against its id
/// and each blob against its hash before anything is appended.
///
/// Three stages run at once, each on one item (a batch of events, or a group of blobs) at a time and in order:
/// the items after next are fetched from the server (``FetchQueue``), the next one's blobs are checked (on all
/// cores), the current one is written to the local log. A batch's blobs are asked for in one query and read,
/// checked and stored in groups of a few MB ahead of the events that cite them, so that memory stays flat
/// whatever the size of a batch's blobs.
public enum Pull {
    /// Events appended per LMDB transaction at most, whatever `batchSize` asks. Each commit flushes: at 100 per
    /// transaction a pull spent a third of its time in `fdatasync` and in writing pages copied on write again
    /// by the next commit (1x workload: 556 commits, 84k `pwrite`s). Memory stays flat at 1,000 because every
    /// random-key read of the batch (blob lookups, id and index inserts) releases the store pages it mapped as
    /// it goes; the events and blobs of a batch held at once are a few MB.
    static let maxBatch = 1000

    /// Pulls every event the remote has (committed below the horizon), in batches of `batchSize` (at most
    /// ``maxBatch``). `progress` is called after each step, on a thread of its own.
    public static func run(
        log: EventLog, remote: Remote, batchSize: Int = 1000,
        progress: @escaping @Sendable (SyncStep) -> Void = { _ in }
    ) throws -> SyncSummary {
        let me = try log.ensureStoreID()
        return try Blocking.run {
            let c = try await ServerConnection.open(remote)
            do {
                let summary = try await pull(
                    c, log: log, me: me, batchSize: max(1, min(batchSize, maxBatch)), progress)
                await c.close()
                return summary
            } catch {
                await c.abandon()
                throw error
            }
        }
    }

    private static func pull(
        _ c: ServerConnection, log: EventLog, me: StoreID, batchSize: Int, _ progress: @Sendable (SyncStep) -> Void
    ) async throws -> SyncSummary {
        let serverID = try await ServerSchema.check(c)
        let cursorKey = "server/" + serverID
        let stored = PullCursor(try log.syncCursor(cursorKey)) ?? .start
        let horizon = try await PullHorizon.read(c, after: stored.main.tx)
        let source = PullBatches(c, log: log, me: me, batchSize: batchSize, cursor: stored, horizon: horizon)
        var summary = SyncSummary()
        var written = stored
        // Three stages at once: the items after next are fetched from the server (``FetchQueue``) while the next
        // one's blobs are checked (on all cores) and the current one is written to the local log. Items are
        // fetched one after another (one connection), checked one after another, written in order: a blob is
        // stored before the events citing it, as when one item was handled at a time.
        let fetched = FetchQueue(source)
        var checking = fetched.checkNext()
        do {
            while let item = try await checking.value {
                checking = fetched.checkNext()
                switch item {
                case .blobs(let blobs):
                    // Stored ahead of the events citing them, a group at a time (a batch of trajectories cites
                    // hundreds of MB): a blob without its event is harmless, and found here by the next pull.
                    try await Offload.run { try log.putBlobs(blobs.map(\.prepared)) }
                    summary.blobs += blobs.count
                case .events(let batch, let withBlobs):
                    summary.eventsAlreadyThere += batch.own
                    progress(.blobsReceived(batch: batch.number, count: batch.blobs))
                    summary.blobs += withBlobs.count
                    let outcomes = try await Offload.run {
                        // Every blob they cite is stored by now: found stored when the batch was planned, or
                        // fetched for it or for a batch before (and stored ahead of their events), or in this
                        // transaction. Looked up again, they cost the writer 0.3 s of a 1x pull.
                        try log.appendPulled(
                            batch.events, blobs: withBlobs.map(\.prepared),
                            storedBefore: Set(batch.events.lazy.flatMap(\.blobs)), cursorKey: cursorKey,
                            cursor: batch.cursor.bytes)
                    }
                    written = batch.cursor
                    let appended = outcomes.filter(\.isNew).count
                    summary.events += appended
                    summary.eventsAlreadyThere += outcomes.count - appended
                    progress(.eventsAppended(batch: batch.number, count: appended))
                }
            }
        } catch {
            // What is being fetched uses the connection the caller closes next.
            checking.cancel()
            _ = try? await checking.value
            await fetched.cancel()
            throw error
        }
        // Transactions read past before that ended with no events left to fetch are forgotten.
        if source.cursor != written {
            try log.appendPulled([], blobs: [], cursorKey: cursorKey, cursor: source.cursor.bytes)
        }
        return summary
    }
}

/// The items of a pull fetched ahead of being checked: each fetch starts as soon as the one before it has ended
/// (one connection), up to ``ahead`` items beyond the one being checked, so that the server is asked for the
/// next item while one waits to be checked or written, not only once the writer takes the next one.
///
/// Used by the pull's loop alone.
final class FetchQueue {
    /// Items fetched (or being fetched) beyond the one being checked: one more than the writer and the checker
    /// hold, so that a slow item (a batch of events and its lookups) does not stall both behind it.
    static let ahead = 2
    private let source: PullBatches
    private var fetches: [Task<ReceivedItem?, any Error>] = []

    init(_ source: PullBatches) {
        self.source = source
        fetches = [Task { try await source.next() }]
        refill()
    }

    /// The next item, checked (on a thread of its own) once it has been fetched; nil when there is no more.
    func checkNext() -> Task<PullItem?, any Error> {
        let fetch = fetches.removeFirst()
        refill()
        let source = source
        return Task {
            let raw = try await fetch.value
            return try await Offload.run { try source.check(raw) }
        }
    }

    /// Stops what is being fetched and waits for it to end.
    func cancel() async {
        for fetch in fetches {
            fetch.cancel()
            _ = try? await fetch.value
        }
    }

    private func refill() {
        let source = source
        while fetches.count < Self.ahead, let last = fetches.last {
            fetches.append(
                Task {
                    guard try await last.value != nil else { return nil }
                    return try await source.next()
                })
        }
    }
}

/// What a pull writes next: a group of blobs (checked), or a batch of events (checked) with the cursor to store
/// with them and the blobs to store in their transaction, once every other blob they cite is stored.
enum PullItem: Sendable {
    case blobs([PortableBlob])
    case events(PulledBatch, withBlobs: [PortableBlob])
}

/// A ``PullItem`` as fetched from the server: its events checked, its blobs not yet.
enum ReceivedItem: Sendable {
    case blobs([ReceivedBlob])
    case events(PulledBatch)
}

/// A blob row as the server sent it, before it is checked against its hash.
struct ReceivedBlob: Sendable {
    var digest: Digest
    /// As the row names them (`raw` or `zstd`, and a size of 0 or more, when it can be read).
    var codec: String
    var rawSize: Int64
    /// In the form the local store keeps it (``PortableBlob/storedForm(codec:rawSize:body:)``), copied out of
    /// the connection's buffers; nil when the row's codec is unknown or its size negative.
    var stored: [UInt8]?
}

/// A batch of a pull's events.
struct PulledBatch: Sendable {
    var number: Int
    var events: [PulledEvent]
    /// Rows of this store's own events (not fetched: already here).
    var own: Int
    /// How many blobs were fetched for it (stored before it, or with it).
    var blobs: Int
    /// Blobs to store with it, in its transaction (when they were fetched in one group).
    var withBlobs: [ReceivedBlob] = []
    var cursor: PullCursor
}

/// The batches of one pull, in order: first the events of transactions read past by an earlier pull that have
/// ended since, then the server's events after the main cursor up to the horizon.
///
/// `@unchecked Sendable`: used by one task at a time, each ``next()`` awaited before the next is started.
final class PullBatches: @unchecked Sendable {
    private let c: ServerConnection
    private let log: EventLog
    private let mine: ByteBuffer
    private let batchSize: Int
    private let horizon: PullHorizon
    /// Where the batches returned so far got to.
    private(set) var cursor: PullCursor
    /// Transactions read past before that have ended: their events are fetched first.
    private var ended: [UInt64]
    private var number = 0
    /// The batch whose blobs are being fetched, and the server's rows of them still to read.
    private var waiting: PulledBatch?
    private var incoming: IncomingBlobs?
    /// The blobs the batches before planned to fetch, as many batches as can still be unwritten when the next
    /// is planned (``FetchQueue/ahead`` + 1, one item each): items are fetched ahead of being written, so these
    /// may not be stored yet when the next batch looks up what the store lacks; they are not fetched again (they
    /// are stored before the next batch's events, which are written after them).
    private var plannedBefore: [Set<Digest>] = []
    /// Decompression contexts and buffers for checking blobs, kept from one group to the next.
    private let scratches = ScratchPool()
    /// A group of blobs read at once: this many bytes as the server stores them (the last row read may take it
    /// past), or this many blobs. Up to three groups are in flight at once (read, being checked, being written),
    /// each stored in a transaction of its own: at 4 MB a pull's peak grew with the store. Smaller groups cost
    /// more commits, each of which flushes and writes again every B-tree page its blobs' keys landed on (random
    /// keys: about a page each). Most blobs are a few KB, so the count, not the bytes, ends most groups.
    static let groupBytes = 2 << 20
    static let groupCount = 512

    init(
        _ c: ServerConnection, log: EventLog, me: StoreID, batchSize: Int, cursor: PullCursor, horizon: PullHorizon
    ) {
        self.c = c
        self.log = log
        mine = ByteBuffer(bytes: me.bytes)
        self.batchSize = batchSize
        self.horizon = horizon
        self.cursor = cursor
        ended = cursor.pending.map(\.tx).filter { !horizon.inProgress.contains($0) }
        readPastBelowMain()
    }

    /// Remembers the transactions in progress the main cursor has passed.
    private func readPastBelowMain() {
        for tx in horizon.readPast where tx < cursor.main.tx { cursor.readPast(tx) }
    }

    /// What to write next, its blobs not yet checked (see ``check(_:)``); nil when there is nothing more below
    /// the horizon.
    func next() async throws -> ReceivedItem? {
        if waiting == nil {
            guard let (events, own) = try await nextEvents() else { return nil }
            number += 1
            waiting = PulledBatch(number: number, events: events, own: own, blobs: 0, cursor: cursor)
            let needed = try plan(events)
            if !needed.isEmpty { incoming = try await request(needed) }
        }
        if incoming != nil {
            let (blobs, last) = try await nextGroup()
            waiting?.blobs += blobs.count
            guard last else { return .blobs(blobs) }
            // The last group is written with the events, in their transaction (one commit, one flush, fewer).
            waiting?.withBlobs = blobs
        }
        defer { waiting = nil }
        return waiting.map { ReceivedItem.events($0) }
    }

    /// `item` with each of its blobs checked against its hash (on all cores): a blob that does not match is
    /// refused and named. Runs while the next item is fetched: it reads nothing that ``next()`` changes.
    func check(_ item: ReceivedItem?) throws -> PullItem? {
        switch item {
        case nil: return nil
        case .blobs(let received): return .blobs(try check(received))
        case .events(var batch):
            let blobs = try check(batch.withBlobs)
            batch.withBlobs = []
            return .events(batch, withBlobs: blobs)
        }
    }

    private func check(_ received: [ReceivedBlob]) throws -> [PortableBlob] {
        let scratches = scratches
        let checked = ParallelMap.map(received, state: { PooledScratch(scratches) }) { pooled, r in
            Result { () throws -> PortableBlob? in
                try r.stored.map { try PortableBlob(digest: r.digest, received: $0, scratch: &pooled.scratch) }
            }
        }
        var out: [PortableBlob] = []
        out.reserveCapacity(checked.count)
        for (r, blob) in zip(received, checked) {
            guard r.stored != nil else {
                let why =
                    r.rawSize < 0
                    ? "has a raw size of \(r.rawSize)" : "is stored as '\(r.codec)', which this smithlog cannot read"
                throw damaged("blob \(r.digest.hex) \(why); nothing was pulled from this batch")
            }
            guard case .success(let b?) = blob else {
                throw damaged("blob \(r.digest.hex) does not match its hash; nothing was pulled from this batch")
            }
            out.append(b)
        }
        return out
    }

    /// The next batch of events; nil when there is nothing more below the horizon.
    private func nextEvents() async throws -> ([PulledEvent], Int)? {
        while let tx = ended.first {
            guard let at = cursor.pending.firstIndex(where: { $0.tx == tx }) else {
                ended.removeFirst()
                continue
            }
            let rows = try await c.rows(
                """
                SELECT global_pos, tx::text, event_id, origin_store, origin_seq, given_id, stream, type,
                  schema_version, recorded_at, actor,
                  CASE WHEN origin_store = \(mine) THEN NULL ELSE payload END, blobs
                FROM smithlog.events
                WHERE tx = \(String(tx))::xid8 AND global_pos > \(cursor.pending[at].position)
                ORDER BY global_pos
                LIMIT \(Int64(batchSize))
                """, "reading the events of a transaction that was in progress")
            if rows.count < batchSize {
                cursor.pending.remove(at: at)
                ended.removeFirst()
            }
            guard !rows.isEmpty else { continue }
            let (events, own, last) = try decode(rows)
            if rows.count == batchSize { cursor.pending[at].position = last.position }
            return (events, own)
        }
        let rows = try await c.rows(
            """
            SELECT global_pos, tx::text, event_id, origin_store, origin_seq, given_id, stream, type,
              schema_version, recorded_at, actor,
              CASE WHEN origin_store = \(mine) THEN NULL ELSE payload END, blobs
            FROM smithlog.events
            WHERE (tx, global_pos) > (\(String(cursor.main.tx))::xid8, \(cursor.main.position))
              AND tx < \(String(horizon.limit))::xid8
            ORDER BY smithlog.events.tx, global_pos
            LIMIT \(Int64(batchSize))
            """, "reading events")
        guard !rows.isEmpty else { return nil }
        let (events, own, last) = try decode(rows)
        cursor.main = last
        readPastBelowMain()
        return (events, own)
    }

    // `ORDER BY` names the column with its table: a bare `tx` would be the output column `tx::text`, ordered as
    // text ("1001" before "849"), and the cursor would then pass over every event of a smaller transaction id
    // with more digits' worth of order: skipped for good.

    /// The events of `rows` (checked against their ids), how many rows were this store's own events, and the
    /// position of the last row.
    private func decode(_ rows: [PostgresRow]) throws -> ([PulledEvent], Int, PullCursor.Position) {
        var pulled: [PulledEvent] = []
        pulled.reserveCapacity(rows.count)
        var own = 0
        var last = cursor.main
        for row in rows {
            let (
                position, tx, id, origin, originSeq, given, stream, type, schema, recordedAt, actor, payload, blobs
            ) =
                try row.decode(
                    (
                        Int64, String, ByteBuffer, ByteBuffer, Int64, Bool, String, String, Int32, Int64, String,
                        ByteBuffer?, ByteBuffer
                    ).self)
            guard let txValue = UInt64(tx) else { throw damaged("an event has transaction id '\(tx)'") }
            last = PullCursor.Position(tx: txValue, position: position)
            guard let payload else {
                own += 1  // this store's own event
                continue
            }
            guard let eventID = Digest(bytes: Array(buffer: id)),
                let originStore = StoreID(bytes: Array(buffer: origin)), originSeq > 0,
                blobs.readableBytes % 32 == 0
            else { throw damaged("the event at position \(position) has a malformed id, origin or blob list") }
            let blobBytes = Array(buffer: blobs)
            pulled.append(
                PulledEvent(
                    id: eventID, givenID: given, recordedAt: recordedAt, schemaVersion: Int(schema), type: type,
                    stream: stream, actor: actor,
                    blobs: stride(from: 0, to: blobBytes.count, by: 32).map {
                        Digest(bytes: Array(blobBytes[$0..<$0 + 32]))!
                    },
                    payloadBytes: Array(buffer: payload),
                    origin: EventOrigin(store: originStore, seq: UInt64(originSeq))))
        }
        let log = log
        let problems = ParallelMap.map(pulled) { log.contentProblem($0) }
        if let i = problems.firstIndex(where: { $0 != nil }), let problem = problems[i] {
            let e = pulled[i]
            throw damaged(
                "event \(e.id.hex.prefix(12)) (\(e.type), \(e.stream)): \(problem); nothing was pulled from this batch")
        }
        return (pulled, own, last)
    }

    private func damaged(_ what: String) -> SyncError {
        SyncError(.damagedRemote, "remote '\(c.remote.name)': \(what)")
    }

    /// The blobs `events` cite that this store lacks, each once.
    private func plan(_ events: [PulledEvent]) throws -> [Digest] {
        var seen = plannedBefore.reduce(into: Set<Digest>()) { $0.formUnion($1) }
        let cited = events.flatMap(\.blobs).filter { seen.insert($0).inserted }
        let needed = try log.missingBlobs(cited)
        plannedBefore = (plannedBefore.suffix(FetchQueue.ahead) + [Set(needed)])
        return needed
    }

    /// Asks the server for the rows of `needed`, in one query, read a group at a time by ``nextGroup()``.
    ///
    /// One query per batch, not one per group: asking each group's blobs by name meant asking their sizes first
    /// (a query of its own) to cut the groups, and a round trip per group. The rows are read as they come, the
    /// connection holding back what the server sends until they are read, so memory stays that of a group.
    ///
    /// Each hash is looked up on its own through the primary key (a lateral subquery with `LIMIT 1`, which the
    /// planner cannot turn into a join): for `hash = ANY(...)` of a batch's thousand hashes PostgreSQL 15 chose a
    /// scan of the whole table below a few hundred thousand blobs, 8 ms a batch at 1x against 2-3 ms, and the
    /// scans grew with the team's history.
    private func request(_ needed: [Digest]) async throws -> IncomingBlobs {
        let hashes = needed.map { ByteBuffer(bytes: $0.bytes) }
        let rows = try await c.run(
            """
            SELECT b.hash, b.codec, b.raw_size, b.bytes
            FROM unnest(\(hashes)::bytea[]) AS wanted(hash)
            CROSS JOIN LATERAL (
              SELECT hash, codec, raw_size, bytes FROM smithlog.blobs WHERE blobs.hash = wanted.hash LIMIT 1
            ) AS b
            """, IncomingBlobs.what)
        return IncomingBlobs(rows: rows.makeAsyncIterator(), lacking: Set(needed))
    }

    /// The next group of the rows ``request(_:)`` asked for (checked later, by ``check(_:)``), and whether it
    /// is the last one.
    ///
    /// Each row's bytes are copied out as it arrives: a row is a slice of the connection's receive buffer, and
    /// the rows of a group held as they came kept every buffer they were read into (several times the group's
    /// bytes, more when the server sent faster than this process read).
    private func nextGroup() async throws -> (blobs: [ReceivedBlob], last: Bool) {
        guard var incoming else { return ([], true) }
        var group: [ReceivedBlob] = []
        var bytes = 0
        var ended = false
        do {
            while group.count < Self.groupCount && bytes < Self.groupBytes {
                guard let row = try await incoming.rows.next() else {
                    ended = true
                    break
                }
                let (hash, codec, size, body) = try row.decode((ByteBuffer, String, Int64, ByteBuffer).self)
                guard let digest = Digest(bytes: Array(buffer: hash)), incoming.lacking.remove(digest) != nil else {
                    continue
                }
                let stored = body.withUnsafeReadableBytes {
                    PortableBlob.storedForm(codec: codec, rawSize: Int(size), body: $0)
                }
                group.append(ReceivedBlob(digest: digest, codec: codec, rawSize: size, stored: stored))
                bytes += body.readableBytes
            }
        } catch {
            throw c.failure(error, IncomingBlobs.what)
        }
        guard ended else {
            self.incoming = incoming
            return (group, false)
        }
        self.incoming = nil
        if let d = incoming.lacking.first {
            let by = waiting?.events.first { $0.blobs.contains(d) }
            throw damaged("event \(by?.id.hex.prefix(12) ?? "?") cites blob \(d.hex), which the remote lacks")
        }
        return (group, true)
    }
}

/// The rows of one batch's blobs as the server sends them, and the blobs not received yet.
private struct IncomingBlobs {
    static let what = "fetching blobs"
    var rows: PostgresRowSequence.AsyncIterator
    var lacking: Set<Digest>
}

/// Runs blocking work (checking blobs on all cores, writing to the local log) on a thread of its own: on the
/// threads of Swift's task pool (one per core) it held the pool, and the fetching of the next item from the
/// server waited for a thread while the two stages ran.
enum Offload {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            DispatchQueue.global().async { done.resume(with: Result { try body() }) }
        }
    }
}

/// The scratches blobs are checked with, kept from one group of blobs to the next: made anew for each group,
/// their buffers were fresh pages to fault in (zeroed by the kernel) for every group.
final class ScratchPool: Sendable {
    private let free = Mutex<[BlobCheckScratch]>([])

    func take() -> BlobCheckScratch { free.withLock { $0.popLast() } ?? BlobCheckScratch() }
    func give(_ scratch: BlobCheckScratch) { free.withLock { $0.append(scratch) } }
}

/// A scratch taken from a ``ScratchPool`` for one chunk of a ``ParallelMap``, given back when the chunk ends.
final class PooledScratch {
    var scratch: BlobCheckScratch
    private let pool: ScratchPool

    init(_ pool: ScratchPool) {
        self.pool = pool
        scratch = pool.take()
    }

    deinit { pool.give(scratch) }
}
