/// An error from the projections: SQLite failures, refused queries, and events that cannot be applied.
///
/// `description` is the one line the CLI prints; branch on `code`, never on the message text.
public struct ProjectionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is; stable across releases so callers can branch on it.
    public enum Code: String, Sendable {
        /// The file is not an SQLite database, or its pages are damaged.
        case notADatabase = "not-a-database"
        /// Another connection held a lock for longer than the busy timeout.
        case busy
        /// The disk is full.
        case full
        /// A read-only query tried to write, attach or change settings; nothing was run.
        case writeRefused = "write-refused"
        /// A query called a function that exposes the process's memory or files (`fts3_tokenizer`,
        /// `load_extension`, ...); nothing was run.
        case functionRefused = "function-refused"
        /// A query ran past its deadline and was stopped.
        case interrupted
        /// SQL that SQLite cannot compile or run (syntax errors, unknown tables, more than one statement).
        case invalidQuery = "invalid-query"
        /// An event could not be projected; `event` names it. Events before it are applied.
        case cannotApply = "cannot-apply"
        /// The event log could not be read.
        case log
        /// Any other SQLite failure.
        case sqlite
    }

    public var code: Code
    public var message: String
    /// The projections file (or other file) the error is about, when there is one.
    public var path: String?
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?
    /// The event that could not be applied (only for `.cannotApply`).
    public var event: EventReference?

    public init(
        _ code: Code, _ message: String, path: String? = nil, sqliteCode: Int32? = nil, event: EventReference? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.sqliteCode = sqliteCode
        self.event = event
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}

/// Names one event of the log the way error messages and the state table do.
public struct EventReference: Sendable, Equatable, CustomStringConvertible {
    public var seq: UInt64
    public var type: String
    public var stream: String

    public init(seq: UInt64, type: String, stream: String) {
        self.seq = seq
        self.type = type
        self.stream = stream
    }

    /// `event 42 (TrajectoryProduced, run/r1)`.
    public var description: String { "event \(seq) (\(type), \(stream))" }
}
