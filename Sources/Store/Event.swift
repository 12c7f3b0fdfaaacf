public import SmithJSON

/// An event a caller wants to append: a fact about one stream, with the blobs it refers to.
///
/// Its id is the one the caller gives (``givenID``) or else derived from `type`, `stream` and the canonical
/// form of `payload` only; either way recording the same fact twice yields the same id and the second append
/// adds nothing.
public struct NewEvent: Sendable {
    public var type: String
    public var schemaVersion: Int
    public var stream: String
    public var payload: JSONValue
    public var blobs: [Digest]
    /// The id the caller names the fact by; nil (the default) derives it from the content (see ``id``).
    ///
    /// For a domain whose facts are identified by some of their fields only, so that a fact re-recorded with
    /// a newer payload shape keeps its id: an append finds an event with this id in the same stream already
    /// logged and adds nothing, whatever the new payload says. The store cannot recompute such an id from the
    /// record; `verify` checks it against the identifier the log was opened with, when there is one.
    public var givenID: Digest?

    /// `id`: see ``givenID``.
    public init(
        type: String, schemaVersion: Int = 1, stream: String, payload: JSONValue, blobs: [Digest] = [],
        id: Digest? = nil
    ) {
        self.type = type
        self.schemaVersion = schemaVersion
        self.stream = stream
        self.payload = payload
        self.blobs = blobs
        self.givenID = id
    }

    /// The id the event is logged under: ``givenID`` when set, else SHA-256 over type, stream and canonical
    /// payload, each separated by a NUL byte.
    public var id: Digest { givenID ?? EventIdentity.id(type: type, stream: stream, payload: payload) }
}

/// How event ids are derived when the caller gives none. Changing this would change every id: it must never
/// change.
public enum EventIdentity {
    public static func id(type: String, stream: String, payload: JSONValue) -> Digest {
        PythonJSON.canonicalBytes(payload).withUnsafeBytes { id(type: type, stream: stream, canonicalPayload: $0) }
    }

    /// The id from the payload's ``PythonJSON/canonicalBytes(_:)``, for callers that already have them.
    static func id(type: String, stream: String, canonicalPayload: UnsafeRawBufferPointer) -> Digest {
        var type = type
        var stream = stream
        return type.withUTF8 { t in
            stream.withUTF8 { s in
                id(
                    typeUTF8: UnsafeRawBufferPointer(t), streamUTF8: UnsafeRawBufferPointer(s),
                    canonicalPayload: canonicalPayload)
            }
        }
    }

    /// ``id(type:stream:canonicalPayload:)`` from the type's and stream's UTF-8.
    static func id(
        typeUTF8: UnsafeRawBufferPointer, streamUTF8: UnsafeRawBufferPointer, canonicalPayload: UnsafeRawBufferPointer
    ) -> Digest {
        var hasher = SHA256Hasher()
        hasher.update(typeUTF8)
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        hasher.update(streamUTF8)
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        hasher.update(canonicalPayload)
        return hasher.finalize()
    }
}

/// An event as stored in the log: the envelope and its payload.
public struct RecordedEvent: Sendable {
    /// Position in the log: 1, 2, 3, ... with no gaps.
    public var seq: UInt64
    public var id: Digest
    /// Hash of the previous event's stored record (all zero for the first event): the hash chain.
    public var previousHash: Digest
    /// Milliseconds since 1970-01-01 UTC when the event was appended.
    public var recordedAt: Int64
    public var schemaVersion: Int
    public var type: String
    public var stream: String
    /// `user@host` of the process that appended it.
    public var actor: String
    public var blobs: [Digest]
    /// The payload as compact JSON bytes (key order kept); parse with `payload`.
    public var payloadBytes: [UInt8]
    /// Where the event was first recorded when that is another store (it was pulled from a remote); nil for this
    /// store's own events, whose origin is this store and their seq.
    public var origin: EventOrigin? = nil
    /// Whether the id was given by the appender (``NewEvent/givenID``) rather than derived from the content.
    public var hasGivenID = false

    /// The payload, parsed. Throws only if the stored bytes are damaged.
    public func payload() throws(LogError) -> JSONValue {
        do {
            return try JSONParser.parse(payloadBytes)
        } catch {
            throw LogError(.corrupt, "event \(seq): payload is not valid JSON (\(error))")
        }
    }
}

/// Result of appending one event.
public enum AppendOutcome: Sendable, Equatable {
    /// Newly written at this seq.
    case appended(UInt64)
    /// The same fact was already in the log at this seq; nothing was written.
    case existing(UInt64)

    public var seq: UInt64 {
        switch self {
        case .appended(let s), .existing(let s): return s
        }
    }

    public var isNew: Bool {
        if case .appended = self { return true }
        return false
    }
}
