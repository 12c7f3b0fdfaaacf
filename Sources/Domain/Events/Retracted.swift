public import SmithStore

/// A version of a named thing withdrawn by a user, with the reason; nothing is deleted.
///
/// Retracted things leave the leaderboard, `sft list`, comparisons and default views; `lineage` and `history`
/// show them marked. Identity: the kind, the name and the version (retracting twice adds nothing).
public struct Retracted: PipelineEvent {
    public static let eventType = EventType.retracted
    public static let schemaVersion = 1

    public var kind: NamedKind
    public var name: String
    public var version: Int
    public var reason: String

    public init(kind: NamedKind, name: String, version: Int, reason: String) {
        self.kind = kind
        self.name = name
        self.version = version
        self.reason = reason
    }

    public var stream: String { kind.stream(name) }
    public var blobs: [Digest] { [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("kind", kind.rawValue)
        p.string("name", name)
        p.int("version", version)
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
        reason = try p.string("reason")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("kind", kind.rawValue)
        p.string("name", name)
        p.int("version", version)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.text(name, "Retracted.name")
        guard version >= 1 else { throw EventValidationError("Retracted.version", "must be 1 or more") }
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw EventValidationError("Retracted.reason", "a reason is required")
        }
    }
}
