public import SmithJSON
public import SmithStore

/// One kind of fact the pipeline records: its fields, stream, schema version, identity, upcasters and codec.
///
/// Every writer builds events as these types and every reader gets them back through `decode(_:)`, so a
/// payload's keys are spelled in one place: the type's `encode(to:)` and `init(from:envelope:)`, which list
/// the fields in the same order. To change a payload, bump `schemaVersion`, add the step from the old version
/// to `upcasters`, and add `schema/events/<Type>.v<N>.json` (a test checks the schemas against the types).
public protocol PipelineEvent: Sendable, Equatable {
    /// The type's name in the log.
    static var eventType: EventType { get }
    /// The schema version this code writes.
    static var schemaVersion: Int { get }
    /// `upcasters[v]` turns a version-`v` payload into a version-`v + 1` one; old events are never rewritten.
    static var upcasters: [Int: Upcast] { get }

    /// The aggregate the event belongs to, e.g. `run/<name>`.
    var stream: String { get }
    /// The artifacts it refers to, stored as blobs in the same transaction.
    var blobs: [Digest] { get }

    /// Writes the payload's fields in schema order.
    func encode(to payload: inout PayloadEncoder)
    /// Reads the fields `encode(to:)` writes, from the current version's payload (older ones are upcast first).
    init(from payload: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError)
    /// Writes the fields that make two events the same fact: re-recording a fact with the same identity adds
    /// nothing, whatever else its payload says or whichever schema version wrote it.
    func encodeIdentity(to identity: inout PayloadEncoder)
    /// Throws for a field that a later command could not read back or would misread.
    func validate() throws(EventValidationError)
}

/// Turns a payload of one schema version into the next version's shape; throws when the old one cannot be read.
public typealias Upcast = @Sendable (JSONValue) throws -> JSONValue

/// What a decoder may need from the stored record besides the payload (some fields live only there).
public struct EventEnvelope: Sendable {
    public var stream: String
    public var blobs: [Digest]

    public init(stream: String, blobs: [Digest]) {
        self.stream = stream
        self.blobs = blobs
    }
}

extension PipelineEvent {
    public static var upcasters: [Int: Upcast] { [:] }

    /// The event's id: SHA-256 of its type, stream and canonical identity (see `encodeIdentity(to:)`).
    ///
    /// Ids of events written before identities were declared hashed the whole payload; the store keeps those
    /// as they are and maps these ids to them (store format 6), so both find the event.
    public var id: Digest {
        var identity = PayloadEncoder()
        encodeIdentity(to: &identity)
        return EventIdentity.id(type: Self.eventType.rawValue, stream: stream, payload: identity.value)
    }

    /// The payload as this code writes it.
    public var payload: JSONValue {
        var p = PayloadEncoder()
        encode(to: &p)
        return p.value
    }

    /// The event ready to append, validated first: nothing is written that a later command cannot read back.
    public func newEvent() throws(EventValidationError) -> NewEvent {
        try validate()
        let payload = self.payload
        try EventValidation.payloadFits(payload, type: Self.eventType)
        return NewEvent(
            type: Self.eventType.rawValue, schemaVersion: Self.schemaVersion, stream: stream, payload: payload,
            blobs: blobs, id: id)
    }

    /// Reads a recorded event of this type, upcasting an older payload to the current shape.
    public static func decode(_ event: RecordedEvent) throws(EventDecodingError) -> Self {
        guard event.type == eventType.rawValue else {
            throw EventDecodingError(
                "event \(event.seq) is \(English.a(event.type)), not \(English.a(eventType.rawValue))")
        }
        var decoder: PayloadDecoder
        if event.schemaVersion == schemaVersion {
            decoder = try PayloadDecoder(bytes: event.payloadBytes)
        } else {
            decoder = try PayloadDecoder(upcast(event))
        }
        return try Self(from: &decoder, envelope: EventEnvelope(stream: event.stream, blobs: event.blobs))
    }

    /// The payload of `event` in the current version's shape.
    public static func upcast(_ event: RecordedEvent) throws(EventDecodingError) -> JSONValue {
        guard event.schemaVersion <= schemaVersion else {
            throw EventDecodingError(
                "it was written with schema version \(event.schemaVersion), newer than this smithlog knows"
                    + " (\(schemaVersion)); upgrade smithlog")
        }
        var payload: JSONValue
        do {
            payload = try JSONParser.parse(event.payloadBytes)
        } catch {
            throw EventDecodingError("its payload is not valid JSON (\(error))")
        }
        var version = event.schemaVersion
        while version < schemaVersion {
            guard let step = upcasters[version] else {
                throw EventDecodingError(
                    "it was written with schema version \(version) and there is no upcaster to version \(version + 1)")
            }
            do {
                payload = try step(payload)
            } catch {
                throw EventDecodingError("the upcaster from schema version \(version) failed: \(error)")
            }
            version += 1
        }
        return payload
    }
}
