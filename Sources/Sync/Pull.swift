import NIOCore
import PostgresNIO
public import SmithStore

/// `smithlog pull`: appends the remote's events this store lacks, with the blobs they cite.
///
/// Reads events in the order of the transactions that inserted them, `(tx, global_pos)`, and only those whose
/// transaction is older than every transaction still in progress on the server (`tx` below
/// `pg_snapshot_xmin(pg_current_snapshot())`): identity values are handed out in insertion order, not commit
/// order, so a position read past a slow writer's uncommitted rows would skip them for good once they commit;
/// this way they are delayed, never skipped. The cursor `(tx, global_pos)` of the last event read is stored in
/// the local log in the same LMDB transaction as the events, so that a pull killed at any moment resumes exactly.
/// Each event's content is checked against its id and each blob against its hash before anything is appended.
public enum Pull {
    /// Pulls every event the remote has (committed before the oldest transaction in progress there), in batches
    /// of `batchSize`. `progress` is called after each step, on a thread of its own.
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

    private struct Cursor {
        var tx: UInt64
        var position: Int64

        init(tx: UInt64, position: Int64) {
            self.tx = tx
            self.position = position
        }

        init?(_ bytes: [UInt8]?) {
            guard let bytes, bytes.count == 16 else { return nil }
            tx = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            position = Int64(bitPattern: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
        }

        var bytes: [UInt8] {
            withUnsafeBytes(of: tx.bigEndian) { Array($0) }
                + withUnsafeBytes(of: UInt64(bitPattern: position).bigEndian) { Array($0) }
        }
    }

    // `ORDER BY` names the column with its table: a bare `tx` would be the output column `tx::text`, ordered as
    // text ("1001" before "849"), and the cursor would then pass over every event of a smaller transaction id
    // with more digits' worth of order: skipped for good.
    private static func pull(
        _ c: ServerConnection, log: EventLog, me: StoreID, batchSize: Int, _ progress: @Sendable (SyncStep) -> Void
    ) async throws -> SyncSummary {
        let serverID = try await ServerSchema.check(c)
        let cursorKey = "server/" + serverID
        var cursor = Cursor(try log.syncCursor(cursorKey)) ?? Cursor(tx: 0, position: 0)
        var summary = SyncSummary()
        let mine = ByteBuffer(bytes: me.bytes)
        var batchNumber = 0
        while true {
            let rows = try await c.rows(
                """
                SELECT global_pos, tx::text, event_id, origin_store, origin_seq, given_id, stream, type,
                  schema_version, recorded_at, actor,
                  CASE WHEN origin_store = \(mine) THEN NULL ELSE payload END, blobs
                FROM smithlog.events
                WHERE (tx, global_pos) > (\(String(cursor.tx))::xid8, \(cursor.position))
                  AND tx < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY smithlog.events.tx, global_pos
                LIMIT \(Int64(batchSize))
                """, "reading events")
            guard !rows.isEmpty else { break }
            batchNumber += 1
            var pulled: [PulledEvent] = []
            for row in rows {
                let (
                    position, tx, id, origin, originSeq, given, stream, type, schema, recordedAt, actor, payload, blobs
                ) =
                    try row.decode(
                        (
                            Int64, String, ByteBuffer, ByteBuffer, Int64, Bool, String, String, Int32, Int64, String,
                            ByteBuffer?, ByteBuffer
                        ).self)
                guard let txValue = UInt64(tx) else { throw damaged(c, "an event has transaction id '\(tx)'") }
                cursor = Cursor(tx: txValue, position: position)
                guard let payload else {
                    summary.eventsAlreadyThere += 1  // this store's own event
                    continue
                }
                guard let eventID = Digest(bytes: Array(buffer: id)),
                    let originStore = StoreID(bytes: Array(buffer: origin)), originSeq > 0,
                    blobs.readableBytes % 32 == 0
                else { throw damaged(c, "the event at position \(position) has a malformed id, origin or blob list") }
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
                        c,
                        "event \(eventID.hex.prefix(12)) (\(type), \(stream)): \(problem); nothing was pulled from this batch"
                    )
                }
                pulled.append(event)
            }
            let blobs = try await fetchBlobs(c, log, pulled)
            summary.blobs += blobs.count
            progress(.blobsReceived(batch: batchNumber, count: blobs.count))
            let outcomes = try log.appendPulled(
                pulled, blobs: blobs.map(\.prepared), cursorKey: cursorKey, cursor: cursor.bytes)
            let appended = outcomes.filter(\.isNew).count
            summary.events += appended
            summary.eventsAlreadyThere += outcomes.count - appended
            progress(.eventsAppended(batch: batchNumber, count: appended))
        }
        return summary
    }

    private static func damaged(_ c: ServerConnection, _ what: String) -> SyncError {
        SyncError(.damagedRemote, "remote '\(c.remote.name)': \(what)")
    }

    /// The blobs `events` cite that this store lacks, fetched and each checked against its hash.
    private static func fetchBlobs(
        _ c: ServerConnection, _ log: EventLog, _ events: [PulledEvent]
    ) async throws -> [PortableBlob] {
        var seen = Set<Digest>()
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
                    throw damaged(c, "blob \(digest.hex) does not match its hash; nothing was pulled from this batch")
                }
                got.insert(digest)
            }
            if let lacking = group.first(where: { !got.contains($0) }) {
                let by = events.first { $0.blobs.contains(lacking) }
                throw damaged(
                    c,
                    "event \(by?.id.hex.prefix(12) ?? "?") cites blob \(lacking.hex), which the remote lacks")
            }
        }
        return out
    }
}
