public import SmithStore

/// A version of a name that an event claims: the head event that made version `version` of `name` of `kind`
/// (see SmithDomain's `NamedKind`). Claims go to the server with the events, so that two stores that made the
/// same version of a name with different content are told, not merged.
public struct ClaimedName: Sendable, Equatable {
    public var kind: String
    public var name: String
    public var version: Int
    public var eventID: Digest
    /// How users call the kind in messages ("dataset", "trajectory run").
    public var noun: String

    public init(kind: String, name: String, version: Int, eventID: Digest, noun: String) {
        self.kind = kind
        self.name = name
        self.version = version
        self.eventID = eventID
        self.noun = noun
    }
}

/// A step of a push or pull, reported as it happens (for progress on a terminal).
public enum SyncStep: Sendable {
    /// A push uploaded the blobs batch `batch` cites that the server lacked.
    case blobsSent(batch: Int, count: Int)
    /// A push committed batch `batch` on the server: events up to the store's seq `seq`.
    case eventsCommitted(batch: Int, count: Int, seq: UInt64)
    /// A pull fetched the blobs batch `batch` needs.
    case blobsReceived(batch: Int, count: Int)
    /// A pull appended batch `batch` to the local log (with its cursor).
    case eventsAppended(batch: Int, count: Int)

    /// `blobs` or `events`: what was just done.
    public var name: String {
        switch self {
        case .blobsSent, .blobsReceived: "blobs"
        case .eventsCommitted, .eventsAppended: "events"
        }
    }

    public var batch: Int {
        switch self {
        case .blobsSent(let b, _), .eventsCommitted(let b, _, _), .blobsReceived(let b, _), .eventsAppended(let b, _):
            b
        }
    }
}

/// What a push or pull did.
public struct SyncSummary: Sendable, Equatable {
    /// Events sent (push) or appended (pull).
    public var events = 0
    /// Events the other side already had.
    public var eventsAlreadyThere = 0
    /// Blobs sent or received.
    public var blobs = 0
    /// Blobs the other side already had.
    public var blobsAlreadyThere = 0

    public init() {}
}
