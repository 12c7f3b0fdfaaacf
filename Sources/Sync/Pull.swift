import NIOCore
import PostgresNIO
public import SmithStore

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
/// The next batch is fetched from the server and checked while the current one is appended to the local log.
public enum Pull {
    /// Pulls every event the remote has (committed below the horizon), in batches of `batchSize`. `progress` is
    /// called after each step, on a thread of its own.
    public static func run(
        log: EventLog, remote: Remote, batchSize: Int = 1000,
        progress: @escaping @Sendable (SyncStep) -> Void = { _ in }
    ) throws -> SyncSummary {
        let me = try log.ensureStoreID()
        return try Blocking.run {
            let c = try await ServerConnection.open(remote)
            do {
                let summary = try await pull(c, log: log, me: me, batchSize: max(1, batchSize), progress)
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
        var fetching = Task { try await source.next() }
        do {
            while let batch = try await fetching.value {
                fetching = Task { try await source.next() }
                summary.blobs += batch.blobs.count
                summary.eventsAlreadyThere += batch.own
                progress(.blobsReceived(batch: batch.number, count: batch.blobs.count))
                let outcomes = try log.appendPulled(
                    batch.events, blobs: batch.blobs.map(\.prepared), cursorKey: cursorKey,
                    cursor: batch.cursor.bytes)
                written = batch.cursor
                let appended = outcomes.filter(\.isNew).count
                summary.events += appended
                summary.eventsAlreadyThere += outcomes.count - appended
                progress(.eventsAppended(batch: batch.number, count: appended))
            }
        } catch {
            // The batch being fetched uses the connection the caller closes next.
            fetching.cancel()
            _ = try? await fetching.value
            throw error
        }
        // Transactions read past before that ended with no events left to fetch are forgotten.
        if source.cursor != written {
            try log.appendPulled([], blobs: [], cursorKey: cursorKey, cursor: source.cursor.bytes)
        }
        return summary
    }
}

/// A batch of a pull: events fetched and checked, the blobs they need that the store lacks (checked), and the
/// cursor to store with them.
struct PulledBatch: Sendable {
    var number: Int
    var events: [PulledEvent]
    /// Rows of this store's own events (not fetched: already here).
    var own: Int
    var blobs: [PortableBlob]
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
    /// The blobs the batch before fetched: it may not be appended yet when this one looks for what it lacks.
    private var lastBlobs = Set<Digest>()

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

    /// The next batch; nil when there is nothing more below the horizon.
    func next() async throws -> PulledBatch? {
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
            return try await batch(events, own: own)
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
        return try await batch(events, own: own)
    }

    private func batch(_ events: [PulledEvent], own: Int) async throws -> PulledBatch {
        number += 1
        let blobs = try await fetchBlobs(events)
        return PulledBatch(number: number, events: events, own: own, blobs: blobs, cursor: cursor)
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
            let event = PulledEvent(
                id: eventID, givenID: given, recordedAt: recordedAt, schemaVersion: Int(schema), type: type,
                stream: stream, actor: actor,
                blobs: stride(from: 0, to: blobBytes.count, by: 32).map {
                    Digest(bytes: Array(blobBytes[$0..<$0 + 32]))!
                },
                payloadBytes: Array(buffer: payload),
                origin: EventOrigin(store: originStore, seq: UInt64(originSeq)))
            if let problem = log.contentProblem(event) {
                throw damaged(
                    "event \(eventID.hex.prefix(12)) (\(type), \(stream)): \(problem); nothing was pulled from this batch"
                )
            }
            pulled.append(event)
        }
        return (pulled, own, last)
    }

    private func damaged(_ what: String) -> SyncError {
        SyncError(.damagedRemote, "remote '\(c.remote.name)': \(what)")
    }

    /// The blobs `events` cite that this store lacks, fetched and each checked against its hash.
    private func fetchBlobs(_ events: [PulledEvent]) async throws -> [PortableBlob] {
        var seen = lastBlobs
        var needed: [Digest] = []
        for e in events {
            for b in e.blobs where seen.insert(b).inserted {
                if try !log.hasBlob(b) { needed.append(b) }
            }
        }
        var out: [PortableBlob] = []
        for group in stride(from: 0, to: needed.count, by: 256).map({ needed[$0..<min($0 + 256, needed.count)] }) {
            let hashes = group.map { ByteBuffer(bytes: $0.bytes) }
            let rows = try await c.rows(
                "SELECT hash, codec, raw_size, bytes FROM smithlog.blobs WHERE hash = ANY(\(hashes)::bytea[])",
                "fetching blobs")
            var got = Set<Digest>()
            for row in rows {
                let (hash, codec, size, bytes) = try row.decode((ByteBuffer, String, Int64, ByteBuffer).self)
                guard let digest = Digest(bytes: Array(buffer: hash)) else { continue }
                do {
                    out.append(
                        try PortableBlob(digest: digest, codec: codec, rawSize: Int(size), body: Array(buffer: bytes)))
                } catch {
                    throw damaged("blob \(digest.hex) does not match its hash; nothing was pulled from this batch")
                }
                got.insert(digest)
            }
            if let lacking = group.first(where: { !got.contains($0) }) {
                let by = events.first { $0.blobs.contains(lacking) }
                throw damaged("event \(by?.id.hex.prefix(12) ?? "?") cites blob \(lacking.hex), which the remote lacks")
            }
        }
        lastBlobs = Set(out.map(\.digest))
        return out
    }
}
