public import SmithJSON

/// An event recorded by another store, as a remote hands it over: appended here as its origin recorded it.
public struct PulledEvent: Sendable {
    public var id: Digest
    /// Whether its origin's appender gave the id (``NewEvent/givenID``) rather than deriving it from the content.
    public var givenID: Bool
    public var recordedAt: Int64
    public var schemaVersion: Int
    public var type: String
    public var stream: String
    public var actor: String
    public var blobs: [Digest]
    /// The payload as its origin stored it (compact JSON, key order kept).
    public var payloadBytes: [UInt8]
    public var origin: EventOrigin

    public init(
        id: Digest, givenID: Bool, recordedAt: Int64, schemaVersion: Int, type: String, stream: String, actor: String,
        blobs: [Digest], payloadBytes: [UInt8], origin: EventOrigin
    ) {
        self.id = id
        self.givenID = givenID
        self.recordedAt = recordedAt
        self.schemaVersion = schemaVersion
        self.type = type
        self.stream = stream
        self.actor = actor
        self.blobs = blobs
        self.payloadBytes = payloadBytes
        self.origin = origin
    }
}

extension EventLog {
    /// Why `e` may not be appended as its remote handed it over, or nil: its payload must parse, and its id must
    /// be the one its content derives or, when its appender gave it, the identity the log's ``Identifier``
    /// gives (when the log was opened with one). A row altered on the server is refused this way.
    public func contentProblem(_ e: PulledEvent) -> String? {
        let payload: JSONValue
        do {
            payload = try JSONParser.parse(e.payloadBytes)
        } catch {
            return "its payload is not valid JSON (\(error))"
        }
        guard e.givenID else {
            return EventIdentity.id(type: e.type, stream: e.stream, payload: payload) == e.id
                ? nil : "its content does not hash to its id"
        }
        guard let identifier else { return nil }
        let recorded = RecordedEvent(
            seq: 0, id: e.id, previousHash: EventLog.Head.empty.hash, recordedAt: e.recordedAt,
            schemaVersion: e.schemaVersion, type: e.type, stream: e.stream, actor: e.actor, blobs: e.blobs,
            payloadBytes: e.payloadBytes, origin: e.origin, hasGivenID: true)
        do {
            guard let identity = try identifier(recorded) else { return nil }
            return identity == e.id ? nil : "its content does not give its id"
        } catch {
            return "its identity cannot be computed: \(error)"
        }
    }

    /// Appends events pulled from another store, with `blobs`, and records `cursor` under `cursorKey`, all in one
    /// write transaction: after a crash the cursor names exactly what the log holds.
    ///
    /// Each event keeps its id, recorded time, actor and origin; it gets the next local seq and is chained to the
    /// record before it like any other. An event whose id is already in the log (the same fact recorded here or
    /// pulled before) is not written again, as with ``append(_:blobs:checking:)``. Every blob an event names must
    /// be in `blobs` or already stored; those in `storedBefore` (the caller stored them in an earlier transaction,
    /// or found them stored) are not looked up again.
    @discardableResult
    public func appendPulled(
        _ pulled: [PulledEvent], blobs: [PreparedBlob], storedBefore: Set<Digest> = [], cursorKey: String,
        cursor: [UInt8]
    ) throws -> [AppendOutcome] {
        let chunks = stride(from: 0, to: pulled.count, by: Self.chunkSize).map {
            PreparedChunk(pulled: pulled, $0..<min($0 + Self.chunkSize, pulled.count))
        }
        let (outcomes, typeNames) = try serialisedWrite { txn in
            let written = try self.writeBatch(txn, .pulled(pulled), blobs: blobs, storedBefore: storedBefore) {
                writer in
                for var chunk in chunks {
                    if let invalid = chunk.invalid { throw invalid }
                    try writer.write(&chunk)
                }
            }
            try Self.cursorKey(cursorKey).withUnsafeBytes { k in
                try cursor.withUnsafeBytes { v in _ = try txn.put(self.meta, k, v) }
            }
            return written
        }
        typeCodes.adopt(typeNames)
        return outcomes
    }

    /// The cursor last recorded under `key` by ``appendPulled(_:blobs:storedBefore:cursorKey:cursor:)``; nil when
    /// none was.
    public func syncCursor(_ key: String) throws -> [UInt8]? {
        try environment.read { txn in
            try Self.cursorKey(key).withUnsafeBytes { k in try txn.get(meta, k) { Array($0) } }
        }
    }

    private static func cursorKey(_ key: String) -> [UInt8] { Array("pull-cursor/\(key)".utf8) }

    /// A blob in a form that needs no other blob to read: as stored when it is whole (raw or zstd), else (a slice
    /// of a pack, a delta) its bytes compressed anew. Checked against its hash; `.notFound` when absent.
    public func portableBlob(_ digest: Digest) throws -> PortableBlob {
        let stored = try environment.read { txn in
            try storedBlob(txn, digest) { raw -> [UInt8]? in
                guard let (codec, _) = BlobFormat.header(raw), codec == .raw || codec == .zstd else { return nil }
                return Array(raw)
            }
        }
        guard let stored else { throw LogError(.notFound, "no blob \(digest.hex) in the store") }
        if let stored { return try PortableBlob(digest: digest, stored: stored, check: false) }
        return try PortableBlob(digest: digest, stored: PreparedBlob(blob(digest)).stored, check: false)
    }
}

/// A whole blob as it travels to and from a remote: its codec (`raw` or `zstd`), raw size and (compressed)
/// bytes, as the local store keeps it.
public struct PortableBlob: Sendable {
    public let digest: Digest
    public let codec: String
    public let rawSize: Int
    /// The bytes after the stored header: raw, or one zstd frame.
    public var body: ArraySlice<UInt8> { stored[BlobFormat.headerSize...] }
    let stored: [UInt8]

    fileprivate init(digest: Digest, stored: [UInt8], check: Bool) throws {
        self.digest = digest
        self.stored = stored
        guard let (codec, size) = stored.withUnsafeBytes({ BlobFormat.header($0) }),
            codec == .raw || codec == .zstd
        else { throw LogError(.corrupt, "blob \(digest.hex): not a whole blob") }
        self.codec = codec == .raw ? "raw" : "zstd"
        rawSize = size
        if check {
            guard let bytes = stored.withUnsafeBytes({ BlobFormat.decode($0) }), Digest.sha256(bytes) == digest else {
                throw LogError(.corrupt, "blob \(digest.hex): its bytes do not hash to its name")
            }
        }
    }

    /// The form the store keeps a blob in (its header, then `body`) for a blob a remote sent as `codec` (`raw`
    /// or `zstd`) of `rawSize` raw bytes; nil for another codec or a negative size. A pull copies each row into
    /// it as the row arrives, and checks it in place (``init(digest:received:scratch:)``): one copy of a group's
    /// bytes held, not two.
    public static func storedForm(codec: String, rawSize: Int, body: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let c: BlobFormat.Codec = codec == "raw" ? .raw : codec == "zstd" ? .zstd : nil, rawSize >= 0 else {
            return nil
        }
        var stored: [UInt8] = []
        stored.reserveCapacity(BlobFormat.headerSize + body.count)
        BlobFormat.appendHeader(c, rawSize: rawSize, to: &stored)
        stored.append(contentsOf: body)
        return stored
    }

    /// A blob received from a remote in its stored form (``storedForm(codec:rawSize:body:)``), checked against
    /// `digest` (`.corrupt` when it does not match or cannot be decoded), reusing `scratch` (one per thread) to
    /// decompress into: a pull checks tens of thousands of blobs, and a new zeroed buffer for each was a third of
    /// its page faults.
    public init(digest: Digest, received stored: [UInt8], scratch: inout BlobCheckScratch) throws {
        let matches = stored.withUnsafeBytes { whole -> Bool in
            guard let (codec, size) = BlobFormat.header(whole) else { return false }
            let body = UnsafeRawBufferPointer(rebasing: whole[BlobFormat.headerSize...])
            return scratch.digest(body, codec: codec, rawSize: size) == digest
        }
        guard matches else { throw LogError(.corrupt, "blob \(digest.hex): its bytes do not hash to its name") }
        try self.init(digest: digest, stored: stored, check: false)
    }

    /// Ready to be written by ``EventLog/appendPulled(_:blobs:storedBefore:cursorKey:cursor:)``.
    public var prepared: PreparedBlob { PreparedBlob(digest: digest, rawSize: rawSize, stored: stored) }
}

/// A decompression context and buffer reused from one received blob to the next (one per thread): checking a
/// blob decodes it whole to hash it. Sendable so that a pool can hand it from one thread to the next; used by one
/// thread at a time.
public struct BlobCheckScratch: Sendable {
    private let scratch = BlobRehash.Scratch()

    public init() {}

    /// Buffers larger than this are not kept for the next blob: most blobs are tens of KB and those past
    /// ``Zstd/longInput`` are rare, while a buffer kept at the largest blob its thread met made a pull's peak
    /// grow with the largest trajectory of the team's history.
    static let keptCapacity = Zstd.longInput

    /// The SHA-256 of the bytes `body` (as stored after the header, in `codec`) decode to; nil when they do not
    /// decode to `rawSize` bytes.
    mutating func digest(_ body: UnsafeRawBufferPointer, codec: BlobFormat.Codec, rawSize: Int) -> Digest? {
        switch codec {
        case .raw: return body.count == rawSize ? Digest.sha256(body) : nil
        case .zstd:
            defer { scratch.trim(keeping: Self.keptCapacity) }
            return scratch.decompress(body, size: rawSize).map { Digest.sha256($0) }
        case .slice, .delta: return nil
        }
    }
}

extension EventLog {
    /// Whether the store holds blob `digest` (whole, as a slice of a pack, or as a delta).
    public func hasBlob(_ digest: Digest) throws -> Bool {
        try environment.read { txn in try storedBlob(txn, digest) { _ in true } } ?? false
    }

    /// The blobs of `digests` the store lacks, in their order, looked up in one read transaction.
    ///
    /// Each lookup maps the 64 KB around its page of a blob table (fault-around), all over a large store: the
    /// pages are released as it goes (when the log's ``MemoryPolicy`` releases pages), as often as an append's
    /// random-key lookups (``BatchWriter/releaseInterval``), else the pages a pull's batch held mapped grew with
    /// the store.
    public func missingBlobs(_ digests: [Digest]) throws -> [Digest] {
        // Looked up in key order: each lookup walks the blob tables' branch pages the one before it walked, still
        // mapped, and neighbouring keys share leaves.
        let missing = try environment.read { txn in
            var release = ScanPageRelease(environment, every: BatchWriter.releaseInterval)
            return try Set(
                digests.sorted().filter { d in
                    defer { release.step() }
                    return try storedBlob(txn, d) { _ in true } == nil
                })
        }
        return digests.filter { missing.contains($0) }
    }
}

extension EventLog {
    /// Whether anything was ever pulled into this store (a pull cursor is recorded): its log may hold events of
    /// other origins, which `log` then shows.
    public func hasPulled() throws -> Bool {
        let prefix = Array("pull-cursor/".utf8)
        return try environment.read { txn in
            var found = false
            try prefix.withUnsafeBytes { start in
                try txn.scan(meta, from: start) { key, _ in
                    found = key.starts(with: prefix)
                    return false
                }
            }
            return found
        }
    }
}
