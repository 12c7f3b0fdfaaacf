/// Why the projections were rebuilt from scratch instead of caught up.
public enum RebuildReason: Sendable, Equatable, CustomStringConvertible {
    /// There was no projections file.
    case missing
    /// The file was not an SQLite database, or was damaged; it was deleted.
    case notADatabase(String)
    /// The file was written for another projection schema version.
    case schemaVersion(found: Int64, expected: Int64)
    /// `rebuild` was called.
    case requested
    /// A large catch-up (which writes without a journal) did not finish, so the file could be inconsistent.
    case interrupted

    public var description: String {
        switch self {
        case .missing: return "the projections file did not exist"
        case .notADatabase(let why):
            return "the projections file was damaged or not a database (\(why)); it was deleted"
        case .schemaVersion(let found, let expected):
            return "the projections file has schema version \(found); this smithlog uses version \(expected)"
        case .requested: return "a rebuild was requested"
        case .interrupted: return "a large catch-up of the projections file did not finish"
        }
    }
}

/// What a catch-up did.
public struct CatchUpReport: Sendable, Equatable {
    /// Set when the projections were emptied and replayed from the first event, and why.
    public var rebuilt: RebuildReason?
    /// Seq of the first event this catch-up read (0 when there was nothing to read).
    public var fromSeq: UInt64
    /// Seq of the last event the projections now reflect.
    public var lastAppliedSeq: UInt64
    /// Events read from the log (including types no projection uses).
    public var eventsRead: Int
    /// Events this catch-up could not apply, recorded in `skipped_events` and passed over.
    public var skipped: [SkippedEvent] = []
    /// Wall-clock time the catch-up took.
    public var elapsed: Duration
}

/// Reported after each committed batch of a catch-up.
public struct CatchUpProgress: Sendable, Equatable {
    /// Seq of the last event committed.
    public var appliedThrough: UInt64
    /// The log's last seq when the catch-up started.
    public var target: UInt64
    /// Events read so far in this catch-up.
    public var eventsRead: Int
}

/// One row of `projection_state`.
public struct ProjectionState: Sendable, Equatable {
    /// Projection name: datasets, subsets, runs, evals, sft, checkpoints, benchmarks, retractions.
    public var projection: String
    /// Seq of the last event it applied.
    public var lastSeq: UInt64

    /// The `last_seq` of each projection with a row, by name: what the engine reports, where a replay starts, and
    /// whether anything is new all read the table here.
    static func lastSeqs(_ db: SQLiteDatabase) throws -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        try db.cachedStatement("SELECT projection, last_seq FROM projection_state").forEachRow { row in
            out[row.string(0) ?? ""] = UInt64(max(0, row.int64(1)))
            return true
        }
        return out
    }
}
