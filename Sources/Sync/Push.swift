import NIOCore
import PostgresNIO
public import SmithStore

/// `smithlog push`: sends this store's own events (and the blobs they cite) to a remote.
///
/// The server is the truth of how far this store got (its `progress` row, not a local marker). Each batch:
/// upload the blobs the batch cites that the server lacks (blobs alone are harmless: a crash leaves them
/// unreferenced, and the re-run finds them there); then, in one transaction, lock this store's `progress` row
/// (`FOR UPDATE`: a second push of the same store waits, then sees the position moved and re-reads), require it
/// to be where the batch starts, record the batch's name claims, insert its events (`ON CONFLICT DO NOTHING`: an
/// event already there, from this store's lost reply or from another store that recorded the same fact, is not
/// inserted again), and move the position to the batch's last seq. Killed at any moment, a push re-run sends
/// exactly what the server lacks.
///
/// Two connections keep the server and this process busy at once: batch N's transaction commits on one while
/// batch N+1's blobs are rebuilt here and uploaded on the other (each upload of a few megabytes overlapping the
/// rebuilding of the next). Batch N+1 commits only after batch N did and after its own blobs are all on the
/// server, so the order above holds; at most two batches and two uploads are held at once, whatever the store's
/// size.
///
/// Events pulled from other stores are not pushed: they came from a remote (not relayed between remotes).
public enum Push {
    /// Pushes every event of `log` recorded here, in batches of `batchSize` of them (one transaction each).
    ///
    /// `claims` gives the name versions a batch's events claim (see ``ClaimedName``); the events it is given
    /// carry no payload. `progress` is called after each step.
    public static func run(
        log: EventLog, remote: Remote, batchSize: Int = 1000,
        claims: @escaping @Sendable ([RecordedEvent]) throws -> [ClaimedName],
        progress: @escaping @Sendable (SyncStep) -> Void = { _ in }
    ) throws -> SyncSummary {
        let me = try log.ensureStoreID()
        return try Blocking.run {
            let events = try await ServerConnection.open(remote)
            let blobs: ServerConnection
            do {
                blobs = try await ServerConnection.open(remote)
            } catch {
                await events.abandon()
                throw error
            }
            do {
                let summary = try await push(
                    events, blobs, log: log, me: me, batchSize: max(1, batchSize), claims, progress)
                await events.close()
                await blobs.close()
                return summary
            } catch {
                await events.abandon()
                await blobs.abandon()
                throw error
            }
        }
    }

    /// The server moved this store's position while a batch was being prepared: another push of it committed.
    private struct Moved: Error {}

    private static func push(
        _ events: ServerConnection, _ blobs: ServerConnection, log: EventLog, me: StoreID, batchSize: Int,
        _ claims: @Sendable ([RecordedEvent]) throws -> [ClaimedName], _ progress: @Sendable (SyncStep) -> Void
    ) async throws -> SyncSummary {
        _ = try await ServerSchema.check(events)
        var summary = SyncSummary()
        let origin = ByteBuffer(bytes: me.bytes)
        let reader = PortableBlobReader(log)
        var at = try await position(events, origin)
        // Read, its blobs on the server, its transaction not yet begun.
        var ready: Batch? = nil
        var batchNumber = 0
        // An upload left on its way (see `sendBlobs`) uses the connection the caller closes next: none outlives a
        // failure. The batch read next has one until its transaction waits for it; so has the batch ready when
        // reading the one after it fails.
        do {
            while true {
                var next = try Batch.read(log, after: ready?.upTo ?? at, batchSize: batchSize, claims)
                guard ready != nil || next != nil else { break }
                // The transaction of the batch ready runs on its connection while this one's blobs go on the other.
                let committing = ready
                let number = batchNumber
                async let committed = commit(
                    events, origin: origin, actor: log.actor, committing, batch: number, progress)
                var sent = (0, 0)
                if next != nil { (sent.0, sent.1, next!.uploading) = try await sendBlobs(blobs, reader, next!.cited) }
                do {
                    if let inserted = try await committed, let b = committing {
                        summary.events += inserted
                        summary.eventsAlreadyThere += b.count - inserted
                        progress(.eventsCommitted(batch: batchNumber, count: inserted, seq: b.upTo))
                    }
                } catch is Moved {
                    // Another push of this store committed first: start again from where the server has it now, once
                    // the upload on its way has ended (its blobs are looked up again).
                    _ = try? await next?.uploading?.value
                    at = try await position(events, origin)
                    ready = nil
                    continue
                } catch {
                    await settle(next?.uploading)
                    throw error
                }
                summary.blobs += sent.0
                summary.blobsAlreadyThere += sent.1
                guard var next else { break }
                batchNumber += 1
                // Reported once they are all on the server, as the batch's transaction begins (see `commit`).
                next.sent = sent.0
                ready = next
            }
        } catch {
            await settle(ready?.uploading)
            throw error
        }
        return summary
    }

    /// Ends an upload left on its way, whatever became of it.
    private static func settle(_ upload: Task<Void, any Error>?) async {
        upload?.cancel()
        _ = try? await upload?.value
    }

    /// How far the server has this store's events (its seq; 0 when it has none).
    private static func position(_ c: ServerConnection, _ origin: ByteBuffer) async throws -> UInt64 {
        let rows = try await c.rows(
            "SELECT pushed_seq FROM smithlog.progress WHERE origin_store = \(origin)", "reading this store's position")
        return UInt64(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// One transaction's worth of this store's events, in the columns the server's `events` table takes: read
    /// once from the log, their payloads held once (as the buffers sent).
    private struct Batch: Sendable {
        /// Where the server must have this store for the batch to continue it; the seq of its last event read.
        var from: UInt64
        var upTo: UInt64
        var ids: [ByteBuffer] = []
        var seqs: [Int64] = []
        var given: [Bool] = []
        var streams: [String] = []
        var types: [String] = []
        var schemas: [Int32] = []
        var times: [Int64] = []
        var actors: [String] = []
        var payloads: [ByteBuffer] = []
        var blobs: [ByteBuffer] = []
        /// The blobs the batch cites, each once, in the order first cited.
        var cited: [Digest] = []
        var claimed: [ClaimedName] = []
        /// The last upload of the blobs it cites, still on its way: the batch commits once it is done.
        var uploading: Task<Void, any Error>? = nil
        /// The blobs uploaded for it.
        var sent = 0

        var count: Int { ids.count }

        /// Up to `batchSize` of this store's own events after seq `at` (pulled events are passed over); nil when
        /// the log has nothing after `at`.
        static func read(
            _ log: EventLog, after at: UInt64, batchSize: Int, _ claims: ([RecordedEvent]) throws -> [ClaimedName]
        ) throws -> Batch? {
            var b = Batch(from: at, upTo: at)
            var own: [RecordedEvent] = []
            var seen = Set<Digest>()
            try log.forEach(from: at + 1) { e in
                guard own.count < batchSize else { return false }
                b.upTo = e.seq
                guard e.origin == nil else { return true }
                b.ids.append(ByteBuffer(bytes: e.id.bytes))
                b.seqs.append(Int64(e.seq))
                b.given.append(e.hasGivenID)
                b.streams.append(e.stream)
                b.types.append(e.type)
                b.schemas.append(Int32(e.schemaVersion))
                b.times.append(e.recordedAt)
                b.actors.append(e.actor)
                b.payloads.append(ByteBuffer(bytes: e.payloadBytes))
                b.blobs.append(ByteBuffer(bytes: e.blobs.flatMap(\.bytes)))
                for d in e.blobs where seen.insert(d).inserted { b.cited.append(d) }
                var light = e
                light.payloadBytes = []
                own.append(light)
                return true
            }
            guard b.upTo > at else { return nil }
            b.claimed = try claims(own)
            return b
        }
    }

    /// Uploads the blobs of `cited` that the server lacks, a few megabytes per statement, each statement's
    /// rebuilt (on all cores: see ``PortableBlobReader``) while the one before is on its way; (sent, already
    /// there, the last statement still on its way).
    ///
    /// The last statement is not waited for: the next batch is read and its blobs rebuilt meanwhile, and this
    /// batch's transaction waits for it. The next batch's lookup, on the same connection, runs after it (a
    /// connection runs its statements in order), so it sees these blobs there.
    private static func sendBlobs(
        _ c: ServerConnection, _ reader: PortableBlobReader, _ cited: [Digest]
    ) async throws -> (Int, Int, Task<Void, any Error>?) {
        guard !cited.isEmpty else { return (0, 0, nil) }
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
        let sizes = try reader.sizes(missing)
        var index = 0
        // The next blobs up to 16 MB raw (their compressed bodies no more), at least one.
        func rebuild() throws -> BlobRows {
            var end = index
            var raw = 0
            while end < missing.count && (end == index || (raw + sizes[end].raw <= 16 << 20 && end - index < 4096)) {
                raw += sizes[end].raw
                end += 1
            }
            defer { index = end }
            return BlobRows(
                try reader.read(Array(missing[index..<end]), costs: Array(sizes[index..<end])) { BlobRow($0) })
        }
        var rows = try rebuild()
        var uploading: Task<Void, any Error>? = nil
        do {
            while !rows.hashes.isEmpty {
                let sending = rows
                uploading = Task { try await upload(c, sending) }
                let following = try rebuild()
                guard !following.hashes.isEmpty else { break }
                try await uploading?.value
                rows = following
            }
        } catch {
            await settle(uploading)
            throw error
        }
        return (missing.count, cited.count - missing.count, uploading)
    }

    /// A blob as one row of `blobs`.
    private struct BlobRow: Sendable {
        var hash: ByteBuffer
        var codec: String
        var size: Int64
        var body: ByteBuffer

        init(_ blob: PortableBlobView) {
            hash = ByteBuffer(bytes: blob.digest.bytes)
            codec = blob.codec
            size = Int64(blob.rawSize)
            body = ByteBuffer(bytes: blob.body)
        }
    }

    /// Blobs as the columns of one upload statement.
    private struct BlobRows: Sendable {
        var hashes: [ByteBuffer]
        var codecs: [String]
        var sizes: [Int64]
        var bodies: [ByteBuffer]
        var bytes: Int

        init(_ rows: [BlobRow]) {
            hashes = rows.map(\.hash)
            codecs = rows.map(\.codec)
            sizes = rows.map(\.size)
            bodies = rows.map(\.body)
            bytes = rows.reduce(0) { $0 + $1.body.readableBytes }
        }
    }

    private static func upload(_ c: ServerConnection, _ rows: BlobRows) async throws {
        try await c.run(
            """
            INSERT INTO smithlog.blobs (hash, codec, raw_size, bytes)
            SELECT * FROM unnest(\(rows.hashes)::bytea[], \(rows.codecs)::text[], \(rows.sizes)::int8[],
              \(rows.bodies)::bytea[])
            ON CONFLICT (hash) DO NOTHING
            """, "uploading blobs")
    }

    /// Commits batch `b` (number `batch`) in one transaction, when there is one, once its blobs are all on the
    /// server; the number of its events inserted.
    private static func commit(
        _ c: ServerConnection, origin: ByteBuffer, actor: String, _ b: Batch?, batch: Int,
        _ progress: @Sendable (SyncStep) -> Void
    ) async throws -> Int? {
        guard let b else { return nil }
        try await b.uploading?.value
        progress(.blobsSent(batch: batch, count: b.sent))
        return try await c.transaction("pushing events") { try await commit(c, origin: origin, actor: actor, b) }
    }

    /// The batch's transaction (see ``Push``); the number of events inserted.
    private static func commit(
        _ c: ServerConnection, origin: ByteBuffer, actor: String, _ b: Batch
    ) async throws -> Int {
        try await c.run(
            """
            INSERT INTO smithlog.progress (origin_store, pushed_seq, actor) VALUES (\(origin), 0, \(actor))
            ON CONFLICT (origin_store) DO NOTHING
            """, "pushing events")
        let rows = try await c.rows(
            "SELECT pushed_seq FROM smithlog.progress WHERE origin_store = \(origin) FOR UPDATE", "pushing events")
        guard UInt64(try rows.first?.decode(Int64.self) ?? -1) == b.from else { throw Moved() }
        if !b.claimed.isEmpty { try await claim(c, origin: origin, actor: actor, b.claimed) }
        var inserted = 0
        if b.count > 0 {
            let counted = try await c.rows(
                """
                WITH inserted AS (
                  INSERT INTO smithlog.events (event_id, origin_store, origin_seq, given_id, stream, type,
                    schema_version, recorded_at, actor, payload, blobs)
                  SELECT e, \(origin), s, g, st, ty, sv, ra, ac, pa, bl
                  FROM unnest(\(b.ids)::bytea[], \(b.seqs)::int8[], \(b.given)::bool[], \(b.streams)::text[],
                    \(b.types)::text[], \(b.schemas)::int4[], \(b.times)::int8[], \(b.actors)::text[],
                    \(b.payloads)::bytea[], \(b.blobs)::bytea[]) AS u(e, s, g, st, ty, sv, ra, ac, pa, bl)
                  ORDER BY s
                  ON CONFLICT DO NOTHING
                  RETURNING 1)
                SELECT count(*) FROM inserted
                """, "pushing events")
            inserted = Int(try counted.first?.decode(Int64.self) ?? 0)
        }
        try await c.run(
            "UPDATE smithlog.progress SET pushed_seq = \(Int64(b.upTo)), actor = \(actor) WHERE origin_store = \(origin)",
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
