public import SmithStore

/// A version of a name that this store gives up on the team's server, after a push was refused because another
/// machine pushed that version of the name with other content; nothing is deleted.
///
/// The head event `event` (version `version` of `name` here) is still pushed, but claims no name on the server,
/// and it counts as retracted (the reason says why), so that a bare name means the other versions. The user
/// records the content again under another name (or, after a pull, as a new version) and pushes. Identity: the
/// kind, the name and the head event's id: the version number is this store's local order, the id is the same
/// in every store that pulls it (releasing twice adds nothing).
public struct NameReleased: PipelineEvent {
    public static let eventType = EventType.nameReleased
    public static let schemaVersion = 1

    public var kind: NamedKind
    public var name: String
    /// The version the head event was in this store when released (for messages; the id is what counts).
    public var version: Int
    /// The head event released, by id.
    public var event: Digest
    public var reason: String

    public init(kind: NamedKind, name: String, version: Int, event: Digest, reason: String) {
        self.kind = kind
        self.name = name
        self.version = version
        self.event = event
        self.reason = reason
    }

    public var stream: String { kind.stream(name) }
    public var blobs: [Digest] { [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("kind", kind.rawValue)
        p.string("name", name)
        p.int("version", version)
        p.string("event", event.hex)
        p.string("reason", reason)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        let kind = try p.string("kind")
        guard let k = NamedKind(rawValue: kind) else {
            throw EventDecodingError(
                "field 'kind' must be one of \(NamedKind.allCases.map(\.rawValue)), found '\(kind)'")
        }
        self.kind = k
        name = try p.string("name")
        version = try p.int("version")
        let hex = try p.string("event")
        guard let digest = Digest(hex: hex), hex.utf8.count == 64 else {
            throw EventDecodingError("field 'event' must be 64 hex digits, found '\(hex)'")
        }
        event = digest
        reason = try p.string("reason")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("kind", kind.rawValue)
        p.string("name", name)
        p.string("event", event.hex)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.text(name, "NameReleased.name")
        guard version >= 1 else { throw EventValidationError("NameReleased.version", "must be 1 or more") }
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw EventValidationError("NameReleased.reason", "a reason is required")
        }
    }
}
