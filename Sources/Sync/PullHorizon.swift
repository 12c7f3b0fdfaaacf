import PostgresNIO

/// How far a pull may read the server's events in `(tx, global_pos)` order, and which transactions in progress
/// it reads past (to fetch their events on their own once they end).
///
/// Why: `global_pos` is handed out in insertion order, not commit order, and `tx` (the inserting transaction's
/// id) is known before the transaction commits, so an event of a transaction still in progress sorts before
/// events already committed; a pull that read past it would skip it for good. Waiting for every transaction in
/// progress on the server (`pg_snapshot_xmin`) is safe but makes one long transaction anywhere (another
/// database, another table, an idle session) hold every pull back.
///
/// So: the pull stops before the oldest transaction in progress that holds (or awaits) a lock on
/// `smithlog.events` that lets it insert (`RowExclusiveLock`, which an insert takes, or stronger: a slow
/// writer's events are delayed, as before), and reads past the others (readers, an autovacuum or analyze of the
/// table, sessions in other databases or on other tables). Holding no lock
/// now does not prove a transaction will not insert later (a push's transaction has its id before it inserts
/// events: it locks its `progress` row and records name claims first), so each transaction read past is
/// remembered in the pull cursor (``PullCursor/pending``) and, once it has ended, its events (if it committed
/// any) are fetched by `tx` (indexed). Transactions proven to run in another database (their session's database
/// or their prepared transaction's) cannot insert here and are not remembered. Whatever the lock table says,
/// nothing is skipped: it only decides between waiting and remembering.
///
/// Transaction ids: `pg_locks` and `pg_stat_activity` give 32-bit `xid`s, the snapshot 64-bit `xid8`s (epoch
/// and xid). They are matched by the low 32 bits: transactions in progress together are less than 2^31 ids
/// apart (the server's wraparound limit), so no two of them share their low 32 bits. A snapshot whose xip does not
/// account for its xmin (taken on a standby, where xip is empty) makes the pull wait for xmin, as before.
struct PullHorizon {
    /// Events of transactions below this (that committed) may be read.
    var limit: UInt64
    /// Every transaction in progress in the snapshot (xip).
    var inProgress: Set<UInt64>
    /// The transactions in progress below ``limit`` that might still insert events here: read past, remembered.
    var readPast: [UInt64]

    /// The horizon for a pull whose main cursor is at transaction `after` (transactions in progress below it were
    /// read past before and are in the cursor already: they do not hold the pull back again).
    static func read(_ c: ServerConnection, after: UInt64) async throws -> PullHorizon {
        let rows = try await c.rows(
            """
            WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
            here AS MATERIALIZED (SELECT oid FROM pg_database WHERE datname = current_database()),
            writers AS MATERIALIZED (
              SELECT DISTINCT t.transactionid::text::bigint AS low
              FROM pg_locks r JOIN pg_locks t ON t.virtualtransaction = r.virtualtransaction
              WHERE r.locktype = 'relation' AND r.database = (SELECT oid FROM here)
                AND r.relation = 'smithlog.events'::regclass
                AND r.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')
                AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted),
            elsewhere AS MATERIALIZED (
              SELECT backend_xid::text::bigint AS low FROM pg_stat_activity
              WHERE backend_xid IS NOT NULL AND datid IS NOT NULL AND datid <> (SELECT oid FROM here)
              UNION
              SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database <> current_database()),
            xip AS (
              SELECT x::text AS x, (x::text::numeric % 4294967296)::bigint AS low FROM snap, pg_snapshot_xip(s) AS x)
            SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text, pg_is_in_recovery(),
              coalesce((SELECT array_agg(x) FROM xip), '{}'),
              coalesce((SELECT array_agg(x) FROM xip WHERE low IN (SELECT low FROM writers)), '{}'),
              coalesce((SELECT array_agg(x) FROM xip WHERE low IN (SELECT low FROM elsewhere)), '{}')
            FROM snap
            """, "reading the server's transactions in progress")
        guard let row = rows.first else {
            throw SyncError(.unreachable, "remote '\(c.remote.name)': reading the transactions in progress gave no row")
        }
        let (xminText, xmaxText, recovery, xipText, writersText, elsewhereText) = try row.decode(
            (String, String, Bool, [String], [String], [String]).self)
        guard let xmin = UInt64(xminText), let xmax = UInt64(xmaxText) else {
            throw SyncError(.unreachable, "remote '\(c.remote.name)': its snapshot is '\(xminText):\(xmaxText)'")
        }
        let xip = Set(xipText.compactMap(UInt64.init))
        return decide(
            xmin: xmin, xmax: xmax, xip: xip, writers: Set(writersText.compactMap(UInt64.init)),
            elsewhere: Set(elsewhereText.compactMap(UInt64.init)), trusted: !recovery && xip.count == xipText.count,
            after: after)
    }

    /// The decision, apart from the server: see the type's comment.
    static func decide(
        xmin: UInt64, xmax: UInt64, xip: Set<UInt64>, writers: Set<UInt64>, elsewhere: Set<UInt64>, trusted: Bool,
        after: UInt64
    ) -> PullHorizon {
        // Every transaction in progress below xmax must be in xip for the pull to read past any: xmin, the oldest
        // in progress, must be the least of xip (or xmax when xip is empty).
        guard trusted, xmin == (xip.min() ?? xmax) else {
            return PullHorizon(limit: xmin, inProgress: xip, readPast: [])
        }
        let limit = xip.filter { $0 > after && writers.contains($0) }.min() ?? xmax
        let readPast = xip.filter { $0 < limit && !elsewhere.contains($0) }.sorted()
        return PullHorizon(limit: limit, inProgress: xip, readPast: readPast)
    }
}
