import PostgresNIO

/// The tables a team's history lives in on the server, in schema `smithlog`, and their version.
///
/// - `events`: every event once (`event_id` its primary key), with its origin (the store that first recorded it
///   and its seq there, unique together), envelope, payload bytes as recorded, cited blobs (32-byte digests,
///   concatenated), the transaction that inserted it (`tx`, read by pulls: see ``Pull``) and a `global_pos`.
/// - `blobs`: whole blobs by SHA-256, compressed as in the local store (`codec` `raw` or `zstd`).
/// - `progress`: how far each store's own events got (its seq), one row per store: an event already on the
///   server from another store is not inserted again, so that cannot be read from `events`.
/// - `names`: who claimed each version of each name (`kind`, `name`, `version`) with which head event.
/// - `meta`: `schema_version` and `server_id` (what pull cursors are kept under).
enum ServerSchema {
    /// The version this smithlog writes and reads; a server with another is refused.
    static let version = 1

    static let statements: [String] = [
        "CREATE SCHEMA IF NOT EXISTS smithlog",
        "CREATE TABLE smithlog.meta (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE smithlog.events (
          global_pos bigint GENERATED ALWAYS AS IDENTITY,
          event_id bytea PRIMARY KEY,
          origin_store bytea NOT NULL,
          origin_seq bigint NOT NULL,
          given_id boolean NOT NULL,
          stream text NOT NULL,
          type text NOT NULL,
          schema_version integer NOT NULL,
          recorded_at bigint NOT NULL,
          actor text NOT NULL,
          payload bytea NOT NULL,
          blobs bytea NOT NULL,
          tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
          UNIQUE (origin_store, origin_seq)
        )
        """,
        "CREATE INDEX events_tx ON smithlog.events (tx, global_pos)",
        """
        CREATE TABLE smithlog.blobs (
          hash bytea PRIMARY KEY, codec text NOT NULL, raw_size bigint NOT NULL, bytes bytea NOT NULL)
        """,
        """
        CREATE TABLE smithlog.progress (
          origin_store bytea PRIMARY KEY, pushed_seq bigint NOT NULL, actor text NOT NULL)
        """,
        """
        CREATE TABLE smithlog.names (
          kind text NOT NULL, name text NOT NULL, version integer NOT NULL, event_id bytea NOT NULL,
          origin_store bytea NOT NULL, actor text NOT NULL, PRIMARY KEY (kind, name, version))
        """,
    ]

    /// The server's schema version; nil when it has no smithlog schema.
    static func installedVersion(_ c: ServerConnection) async throws -> Int? {
        let exists = try await c.rows("SELECT to_regclass('smithlog.meta') IS NOT NULL", "reading the schema")
        guard try exists.first?.decode(Bool.self) == true else { return nil }
        let rows = try await c.rows(
            "SELECT value FROM smithlog.meta WHERE key = 'schema_version'", "reading the schema version")
        guard let text = try rows.first?.decode(String.self), let v = Int(text) else {
            throw SyncError(.schema, "remote '\(c.remote.name)': its smithlog schema has no valid version")
        }
        return v
    }

    /// Checks the server holds this version of the schema; returns its server id.
    static func check(_ c: ServerConnection) async throws -> String {
        guard let v = try await installedVersion(c) else {
            throw SyncError(
                .schema,
                "remote '\(c.remote.name)' has no smithlog tables: create them with `smithlog remote init \(c.remote.name)`"
            )
        }
        guard v == version else { throw unknownVersion(c, v) }
        let rows = try await c.rows("SELECT value FROM smithlog.meta WHERE key = 'server_id'", "reading the server id")
        guard let id = try rows.first?.decode(String.self) else {
            throw SyncError(.schema, "remote '\(c.remote.name)': its smithlog schema has no server id")
        }
        return id
    }

    static func unknownVersion(_ c: ServerConnection, _ v: Int) -> SyncError {
        SyncError(
            .schema,
            "remote '\(c.remote.name)' has smithlog schema version \(v); this smithlog knows version \(version)"
                + (v > version ? " (use a newer smithlog)" : ""))
    }

    /// Creates the schema in one transaction; false when it is already there (same version).
    static func create(_ c: ServerConnection) async throws -> Bool {
        if let v = try await installedVersion(c) {
            guard v == version else { throw unknownVersion(c, v) }
            return false
        }
        try await c.transaction("creating the smithlog schema") {
            for s in statements { try await c.run(PostgresQuery(unsafeSQL: s), "creating the smithlog schema") }
            try await c.run(
                "INSERT INTO smithlog.meta VALUES ('schema_version', \(String(version))), ('server_id', gen_random_uuid()::text)",
                "creating the smithlog schema")
        }
        return true
    }
}
