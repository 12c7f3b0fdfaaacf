import NIOCore
import PostgresNIO
public import SmithStore

/// `smithlog push`: sends this store's own events (and the blobs they cite) to a remote.
///
/// The server is the truth of how far this store got (its `progress` row, not a local marker). Each batch:
/// read that position; upload the blobs the batch cites that the server lacks (blobs alone are harmless: a
/// crash leaves them unreferenced, and the re-run finds them there); then, in one transaction, lock this store's
/// `progress` row (`FOR UPDATE`: a second push of the same store waits, then sees the position moved and
/// re-reads), require it to be where the batch starts, record the batch's name claims, insert its events
/// (`ON CONFLICT DO NOTHING`: an event already there, from this store's lost reply or from another store that
/// recorded the same fact, is not inserted again), and move the position to the batch's last seq. Killed at any
/// moment, a push re-run sends exactly what the server lacks.
///
/// Events pulled from other stores are not pushed: they came from a remote (not relayed between remotes).
public enum Push {
    /// Pushes every event of `log` recorded here, in batches of `batchSize`.
    ///
    /// `claims` gives the name versions a batch's events claim (see ``ClaimedName``). `progress` is called after
    /// each step, on a thread of its own.
    public static func run(
        log: EventLog, remote: Remote, batchSize: Int = 1000,
        claims: @escaping @Sendable ([RecordedEvent]) throws -> [ClaimedName],
        progress: @escaping @Sendable (SyncStep) -> Void = { _ in }
    ) throws -> SyncSummary {
        let me = try log.ensureStoreID()
        return try Blocking.run {
            let c = try await ServerConnection.open(remote)
            do {
                let summary = try await push(c, log: log, me: me, batchSize: max(1, batchSize), claims, progress)
                await c.close()
                return summary
            } catch {
                await c.abandon()
                throw error
            }
        }
    }

    /// The server moved this store's position while a batch was being prepared: another push of it committed.
    private struct Moved: Error {}

    private static func push(
        _ c: ServerConnection, log: EventLog, me: StoreID, batchSize: Int,
        _ claims: @Sendable ([RecordedEvent]) throws -> [ClaimedName], _ progress: @Sendable (SyncStep) -> Void
    ) async throws -> SyncSummary {
        _ = try await ServerSchema.check(c)
        var summary = SyncSummary()
        let origin = ByteBuffer(bytes: me.bytes)
        var batchNumber = 0
        while true {
            let at = try await position(c, origin)
            var batch: [RecordedEvent] = []
            var upTo = at
            try log.forEach(from: at + 1) { e in
                guard batch.count < batchSize else { return false }
                upTo = e.seq
                if e.origin == nil { batch.append(e) }
                return true
            }
            guard upTo > at else { break }
            batchNumber += 1
            let (sent, there) = try await sendBlobs(c, log, batch)
            summary.blobs += sent
            summary.blobsAlreadyThere += there
            progress(.blobsSent(batch: batchNumber, count: sent))
            let claimed = try claims(batch)
            do {
                let inserted = try await c.transaction("pushing events") {
                    try await commit(c, origin: origin, actor: log.actor, from: at, upTo: upTo, batch, claimed)
                }
                summary.events += inserted
                summary.eventsAlreadyThere += batch.count - inserted
                progress(.eventsCommitted(batch: batchNumber, count: inserted, seq: upTo))
            } catch is Moved {
                continue
            }
        }
        return summary
    }

    /// How far the server has this store's events (its seq; 0 when it has none).
    private static func position(_ c: ServerConnection, _ origin: ByteBuffer) async throws -> UInt64 {
        let rows = try await c.rows(
            "SELECT pushed_seq FROM smithlog.progress WHERE origin_store = \(origin)", "reading this store's position")
        return UInt64(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// Uploads the blobs `batch` cites that the server lacks, a few megabytes per statement; (sent, already there).
    private static func sendBlobs(
        _ c: ServerConnection, _ log: EventLog, _ batch: [RecordedEvent]
    ) async throws -> (Int, Int) {
        var seen = Set<Digest>()
        let cited = batch.flatMap(\.blobs).filter { seen.insert($0).inserted }
        guard !cited.isEmpty else { return (0, 0) }
        var present = Set<Digest>()
        for group in stride(from: 0, to: cited.count, by: 4096).map({ cited[$0..<min($0 + 4096, cited.count)] }) {
            let hashes = group.map { ByteBuffer(bytes: $0.bytes) }
            for row in try await c.rows(
                "SELECT hash FROM smithlog.blobs WHERE hash = ANY(\(hashes)::bytea[])", "looking up blobs")
            {
                if let d = Digest(bytes: Array(buffer: try row.decode(ByteBuffer.self))) { present.insert(d) }
            }
        }
        let missing = cited.filter { !present.contains($0) }
        var pending: [PortableBlob] = []
        var pendingBytes = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let hashes = pending.map { ByteBuffer(bytes: $0.digest.bytes) }
            let codecs = pending.map(\.codec)
            let sizes = pending.map { Int64($0.rawSize) }
            let bodies = pending.map { ByteBuffer(bytes: $0.body) }
            try await c.run(
                """
                INSERT INTO smithlog.blobs (hash, codec, raw_size, bytes)
                SELECT * FROM unnest(\(hashes)::bytea[], \(codecs)::text[], \(sizes)::int8[], \(bodies)::bytea[])
                ON CONFLICT (hash) DO NOTHING
                """, "uploading blobs")
            pending.removeAll()
            pendingBytes = 0
        }
        for digest in missing {
            let blob = try log.portableBlob(digest)
            pending.append(blob)
            pendingBytes += blob.body.count
            if pendingBytes >= 8 << 20 || pending.count >= 1024 { try await flush() }
        }
        try await flush()
        return (missing.count, cited.count - missing.count)
    }

    /// The batch's transaction (see ``Push``); the number of events inserted.
    private static func commit(
        _ c: ServerConnection, origin: ByteBuffer, actor: String, from at: UInt64, upTo: UInt64,
        _ batch: [RecordedEvent], _ claimed: [ClaimedName]
    ) async throws -> Int {
        try await c.run(
            """
            INSERT INTO smithlog.progress (origin_store, pushed_seq, actor) VALUES (\(origin), 0, \(actor))
            ON CONFLICT (origin_store) DO NOTHING
            """, "pushing events")
        let rows = try await c.rows(
            "SELECT pushed_seq FROM smithlog.progress WHERE origin_store = \(origin) FOR UPDATE", "pushing events")
        guard UInt64(try rows.first?.decode(Int64.self) ?? -1) == at else { throw Moved() }
        if !claimed.isEmpty { try await claim(c, origin: origin, actor: actor, claimed) }
        var inserted = 0
        if !batch.isEmpty {
            let ids = batch.map { ByteBuffer(bytes: $0.id.bytes) }
            let seqs = batch.map { Int64($0.seq) }
            let given = batch.map(\.hasGivenID)
            let streams = batch.map(\.stream)
            let types = batch.map(\.type)
            let schemas = batch.map { Int32($0.schemaVersion) }
            let times = batch.map(\.recordedAt)
            let actors = batch.map(\.actor)
            let payloads = batch.map { ByteBuffer(bytes: $0.payloadBytes) }
            let blobs = batch.map { ByteBuffer(bytes: $0.blobs.flatMap(\.bytes)) }
            let counted = try await c.rows(
                """
                WITH inserted AS (
                  INSERT INTO smithlog.events (event_id, origin_store, origin_seq, given_id, stream, type,
                    schema_version, recorded_at, actor, payload, blobs)
                  SELECT e, \(origin), s, g, st, ty, sv, ra, ac, pa, bl
                  FROM unnest(\(ids)::bytea[], \(seqs)::int8[], \(given)::bool[], \(streams)::text[],
                    \(types)::text[], \(schemas)::int4[], \(times)::int8[], \(actors)::text[], \(payloads)::bytea[],
                    \(blobs)::bytea[]) AS u(e, s, g, st, ty, sv, ra, ac, pa, bl)
                  ORDER BY s
                  ON CONFLICT DO NOTHING
                  RETURNING 1)
                SELECT count(*) FROM inserted
                """, "pushing events")
            inserted = Int(try counted.first?.decode(Int64.self) ?? 0)
        }
        try await c.run(
            "UPDATE smithlog.progress SET pushed_seq = \(Int64(upTo)), actor = \(actor) WHERE origin_store = \(origin)",
            "pushing events")
        return inserted
    }

    /// Records `claimed` on the server; a version of a name already claimed by another head event is refused.
    private static func claim(
        _ c: ServerConnection, origin: ByteBuffer, actor: String, _ claimed: [ClaimedName]
    ) async throws {
        let kinds = claimed.map(\.kind)
        let names = claimed.map(\.name)
        let versions = claimed.map { Int32($0.version) }
        let ids = claimed.map { ByteBuffer(bytes: $0.eventID.bytes) }
        try await c.run(
            """
            INSERT INTO smithlog.names (kind, name, version, event_id, origin_store, actor)
            SELECT k, n, v, e, \(origin), \(actor)
            FROM unnest(\(kinds)::text[], \(names)::text[], \(versions)::int4[], \(ids)::bytea[]) AS u(k, n, v, e)
            ON CONFLICT (kind, name, version) DO NOTHING
            """, "claiming names")
        let conflicts = try await c.rows(
            """
            SELECT n.kind, n.name, n.version, n.actor, n.event_id, n.origin_store
            FROM smithlog.names n
            JOIN unnest(\(kinds)::text[], \(names)::text[], \(versions)::int4[], \(ids)::bytea[]) AS u(k, n, v, e)
              ON n.kind = u.k AND n.name = u.n AND n.version = u.v
            WHERE n.event_id <> u.e
            ORDER BY n.kind, n.name, n.version LIMIT 1
            """, "claiming names")
        guard let row = conflicts.first else { return }
        let (kind, name, version, other, event, _) = try row.decode(
            (String, String, Int32, String, ByteBuffer, ByteBuffer).self)
        let noun = claimed.first { $0.kind == kind }?.noun ?? kind
        let id = Digest(bytes: Array(buffer: event))?.hex.prefix(12) ?? "?"
        throw SyncError(
            .nameConflict,
            "remote '\(c.remote.name)': \(noun) '\(name)@\(version)' was already pushed by \(other) (event \(id))"
                + " with different content; nothing was pushed from this batch: run `smithlog release-name \(kind)"
                + " \(name)@\(version)`, record yours again under another name, then push")
    }
}
