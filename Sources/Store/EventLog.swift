import CLMDB
import Foundation
public import SmithJSON

/// The append-only event log and blob store of one smithlog store, in one LMDB environment.
///
/// Appends are serialised by LMDB's writer lock, across threads and processes alike, so sequence
/// numbers stay gapless whoever writes. One `append` call is one write transaction: its events and
/// blobs are all in or all out, even if the process is killed mid-way.
public final class EventLog: Sendable {
    static let tableNames = ["events", "ids", "streams", "types", "blobs", "meta"]
    /// Stored-format version, kept in `meta` so a future release can refuse or upgrade old stores.
    static let formatVersion: UInt32 = 1

    let environment: LMDBEnvironment
    let events: MDB_dbi
    let ids: MDB_dbi
    let streams: MDB_dbi
    let types: MDB_dbi
    let blobTable: MDB_dbi
    let meta: MDB_dbi
    public let location: StoreLocation
    /// `user@host`, recorded on every appended event.
    public let actor: String

    /// Creates the store if needed and opens it.
    public static func create(at location: StoreLocation, initialMapSize: Int = 1 << 28) throws(LogError) -> EventLog {
        try location.create()
        return try EventLog(location: location, create: true, initialMapSize: initialMapSize)
    }

    /// Opens an existing store; fails with `.notInitialized` when there is none.
    public static func open(at location: StoreLocation, readOnly: Bool = false) throws(LogError) -> EventLog {
        try location.checkExists()
        return try EventLog(location: location, create: false, initialMapSize: 0, readOnly: readOnly)
    }

    private init(location: StoreLocation, create: Bool, initialMapSize: Int, readOnly: Bool = false) throws(LogError) {
        self.location = location
        let path = location.logPath
        // 0 keeps the size recorded in the file; LMDB then uses the larger of that and its default.
        environment = try LMDBEnvironment(
            path: path, mapSize: initialMapSize, maxDatabases: Self.tableNames.count, readOnly: readOnly)
        try environment.openDatabases(Self.tableNames, create: create && !readOnly)
        events = environment.dbi("events")
        ids = environment.dbi("ids")
        streams = environment.dbi("streams")
        types = environment.dbi("types")
        blobTable = environment.dbi("blobs")
        meta = environment.dbi("meta")
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        actor = "\(user)@\(ProcessInfo.processInfo.hostName)"
        if create && !readOnly { try writeFormatVersionIfNew() }
        try checkFormatVersion()
    }

    // MARK: Appending

    /// Appends `newEvents` (and writes `blobs`) in one write transaction.
    ///
    /// An event whose id is already in the log is not written again; its outcome carries the existing seq.
    /// Every blob an event refers to must be in `blobs` or already stored.
    /// `midTransaction` runs once, inside the open write transaction after half the batch is written:
    /// it exists for fault-injection tests (kill the process there) and must not block for long otherwise.
    @discardableResult
    public func append(
        _ newEvents: [NewEvent], blobs: [PreparedBlob] = [], midTransaction: (() -> Void)? = nil
    )
        throws -> [AppendOutcome]
    {
        for e in newEvents {
            guard !e.type.isEmpty, !e.type.utf8.contains(0), e.type.utf8.count < 1024 else {
                throw LogError(.invalidArgument, "bad event type '\(e.type)'")
            }
            guard !e.stream.isEmpty, !e.stream.utf8.contains(0) else {
                throw LogError(.invalidArgument, "bad stream name '\(e.stream)'")
            }
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Everything expensive happens before the writer lock is taken: hashing and encoding dominate an
        // append's CPU time, so big batches spread them over the cores.
        let actor = self.actor
        let prepare = { (context: inout PreparedEvent.Context, e: NewEvent) in
            PreparedEvent(e, recordedAt: now, actor: actor, context: &context)
        }
        var prepared: [PreparedEvent]
        if newEvents.count >= 512 {
            prepared = ParallelMap.map(newEvents, state: PreparedEvent.Context.init, prepare)
        } else {
            var context = PreparedEvent.Context()
            prepared = newEvents.map { prepare(&context, $0) }
        }
        let batchBlobs = Set(blobs.map(\.digest))

        return try environment.write { txn in
            var head = try self.head(txn)
            for blob in blobs {
                try blob.digest.withUnsafeBytes { k in
                    try blob.stored.withUnsafeBytes { v in
                        _ = try txn.put(self.blobTable, k, v, noOverwrite: true)
                    }
                }
            }
            var outcomes: [AppendOutcome] = []
            outcomes.reserveCapacity(prepared.count)
            try PreparedEvent.Cursors.open(txn, log: self) { cursors in
                for index in prepared.indices {
                    if index == prepared.count / 2 { midTransaction?() }
                    for b in newEvents[index].blobs where !batchBlobs.contains(b) {
                        let present = try b.withUnsafeBytes { k in try txn.get(self.blobTable, k) { _ in true } }
                        guard present != nil else {
                            throw LogError(
                                .invalidArgument,
                                "event \(newEvents[index].type) refers to blob \(b.hex), which is not stored")
                        }
                    }
                    let outcome = try prepared[index].write(
                        seq: head.seq + 1, previousHash: head.hash, txn: txn, cursors: cursors, newHead: &head)
                    outcomes.append(outcome)
                }
            }
            try self.writeHead(txn, head)
            return outcomes
        }
    }

    /// Stores blobs without events (they stay unreferenced until an event names them).
    public func putBlobs(_ blobs: [PreparedBlob]) throws {
        try append([], blobs: blobs)
    }

    // MARK: Head of the chain

    struct Head {
        var seq: UInt64
        var hash: Digest
        static let empty = Head(seq: 0, hash: Digest(uncheckedBytes: [UInt8](repeating: 0, count: 32)))
    }

    func head(_ txn: LMDBTransaction) throws -> Head {
        let raw = try Array("head".utf8).withUnsafeBytes { k in try txn.get(meta, k) { Array($0) } }
        guard let raw else { return .empty }
        guard raw.count == 40,
            let seq = SeqKey.decode(UnsafeRawBufferPointer(rebasing: raw.withUnsafeBytes { $0 }[0..<8]))
        else {
            throw LogError(.corrupt, "the log's head record is damaged", path: location.logPath)
        }
        return Head(seq: seq, hash: Digest(uncheckedBytes: Array(raw[8..<40])))
    }

    private func writeHead(_ txn: LMDBTransaction, _ head: Head) throws {
        let value = SeqKey.bytes(head.seq) + head.hash.bytes
        try Array("head".utf8).withUnsafeBytes { k in
            try value.withUnsafeBytes { v in _ = try txn.put(meta, k, v) }
        }
    }

    private func writeFormatVersionIfNew() throws(LogError) {
        do {
            try environment.write { txn in
                let key = Array("format".utf8)
                let v = withUnsafeBytes(of: Self.formatVersion.littleEndian) { Array($0) }
                try key.withUnsafeBytes { k in
                    try v.withUnsafeBytes { v in _ = try txn.put(meta, k, v, noOverwrite: true) }
                }
            }
        } catch let e as LogError {
            throw e
        } catch {
            throw LogError(.io, "\(error)", path: location.logPath)
        }
    }

    private func checkFormatVersion() throws(LogError) {
        let version: UInt32?
        do {
            version = try environment.read { txn in
                try Array("format".utf8).withUnsafeBytes { k in
                    try txn.get(meta, k) { raw -> UInt32? in
                        raw.count == 4 ? UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)) : nil
                    } ?? nil
                }
            }
        } catch let e as LogError {
            throw e
        } catch {
            throw LogError(.io, "\(error)", path: location.logPath)
        }
        guard let version else {
            throw LogError(.corrupt, "not a smithlog store (no format version)", path: location.logPath)
        }
        guard version == Self.formatVersion else {
            throw LogError(
                .corrupt, "store format \(version) is not supported by this smithlog (format \(Self.formatVersion))",
                path: location.logPath)
        }
    }
}

/// An event with everything computed that can be computed outside the write transaction: its id-index key,
/// its stored record and its stream- and type-index keys, all in one buffer, missing only the seq and the
/// previous event's hash, which the transaction writes in.
struct PreparedEvent: Sendable {
    /// The id-index key, then the record, then the stream-index key, then the type-index key.
    private var bytes: [UInt8]
    private let recordEnd: Int
    private let streamKeyEnd: Int

    /// Write cursors on the tables an event goes into, open for one transaction.
    struct Cursors {
        var idsTable: MDB_dbi
        var ids: LMDBCursor
        var events: LMDBCursor
        var streams: LMDBCursor
        var types: LMDBCursor

        /// Runs `body` with cursors on `log`'s tables, open in `txn`.
        static func open(_ txn: LMDBTransaction, log: EventLog, _ body: (Cursors) throws -> Void) throws {
            try txn.withCursor(log.ids) { ids in
                try txn.withCursor(log.events) { events in
                    try txn.withCursor(log.streams) { streams in
                        try txn.withCursor(log.types) { types in
                            try body(
                                Cursors(idsTable: log.ids, ids: ids, events: events, streams: streams, types: types))
                        }
                    }
                }
            }
        }
    }

    /// Per-thread state for preparing a run of events.
    struct Context {
        /// Reused for each event's canonical payload.
        var canonical: [UInt8] = []
        /// The last stream seen and its id-key prefix: a batch's events mostly come grouped by stream.
        var stream = ""
        var streamPrefix: UInt64 = 0
    }

    init(_ e: NewEvent, recordedAt: Int64, actor: String, context: inout Context) {
        if !Self.sameUTF8(e.stream, context.stream) {
            context.stream = e.stream
            context.streamPrefix = IDKey.prefix(stream: e.stream)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(IDKey.size + 160 + 2 * (e.type.utf8.count + e.stream.utf8.count) + 2 * actor.utf8.count)
        withUnsafeBytes(of: context.streamPrefix) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: repeatElement(0, count: IDKey.size - 8))
        context.canonical.removeAll(keepingCapacity: true)
        EventRecordCodec.encode(
            seq: 0, id: .zero, previousHash: .zero, recordedAt: recordedAt, schemaVersion: e.schemaVersion,
            type: e.type, stream: e.stream, actor: actor, blobs: e.blobs, into: &bytes
        ) { PythonJSON.writeCompact(e.payload, into: &$0, canonical: &context.canonical) }
        let id = context.canonical.withUnsafeBytes {
            EventIdentity.id(type: e.type, stream: e.stream, canonicalPayload: $0)
        }
        recordEnd = bytes.count
        bytes.withUnsafeMutableBytes { raw in
            id.withUnsafeBytes { id in
                UnsafeMutableRawBufferPointer(rebasing: raw[8..<IDKey.size]).copyMemory(from: id)
                UnsafeMutableRawBufferPointer(rebasing: raw[(IDKey.size + EventRecordCodec.idOffset)...])
                    .copyMemory(from: id)
            }
        }
        Self.appendIndexKey(e.stream, into: &bytes)
        streamKeyEnd = bytes.count
        Self.appendIndexKey(e.type, into: &bytes)
        self.bytes = bytes
    }

    /// Writes the event at `seq` after the event hashed `previousHash`, unless its id is already in the log.
    ///
    /// On writing, `newHead` becomes this event and its record's hash.
    mutating func write(
        seq: UInt64, previousHash: Digest, txn: LMDBTransaction, cursors: Cursors, newHead: inout EventLog.Head
    ) throws -> AppendOutcome {
        let recordEnd = recordEnd
        let streamKeyEnd = streamKeyEnd
        return try bytes.withUnsafeMutableBytes { raw throws -> AppendOutcome in
            let seqKey = seq.bigEndian
            let idKey = UnsafeRawBufferPointer(rebasing: raw[0..<IDKey.size])
            let inserted = try withUnsafeBytes(of: seqKey) { v in try cursors.ids.put(idKey, v, noOverwrite: true) }
            if !inserted {
                let existing = try txn.get(cursors.idsTable, idKey) { SeqKey.decode($0) }
                return .existing((existing ?? nil) ?? 0)
            }
            let record = UnsafeMutableRawBufferPointer(rebasing: raw[IDKey.size..<recordEnd])
            record.storeBytes(of: UInt64(seq).littleEndian, toByteOffset: EventRecordCodec.seqOffset, as: UInt64.self)
            previousHash.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: record[EventRecordCodec.previousHashOffset...]).copyMemory(
                    from: $0)
            }
            try withUnsafeBytes(of: seqKey) { k in
                _ = try cursors.events.put(k, UnsafeRawBufferPointer(record), append: true)
            }
            let empty = UnsafeRawBufferPointer(start: raw.baseAddress, count: 0)
            raw.storeBytes(of: seqKey, toByteOffset: streamKeyEnd - 8, as: UInt64.self)
            raw.storeBytes(of: seqKey, toByteOffset: raw.count - 8, as: UInt64.self)
            _ = try cursors.streams.put(UnsafeRawBufferPointer(rebasing: raw[recordEnd..<streamKeyEnd]), empty)
            _ = try cursors.types.put(UnsafeRawBufferPointer(rebasing: raw[streamKeyEnd...]), empty)
            newHead = EventLog.Head(seq: seq, hash: Digest.sha256(UnsafeRawBufferPointer(record)))
            return .appended(seq)
        }
    }

    /// Byte equality (`==` on strings is canonical equivalence, which would mix up streams).
    private static func sameUTF8(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
    }

    /// An index key with room for the seq: `name`, a NUL byte, then 8 bytes the transaction fills in.
    private static func appendIndexKey(_ name: String, into out: inout [UInt8]) {
        var name = name
        name.withUTF8 { out.append(contentsOf: $0) }
        out.append(0)
        out.append(contentsOf: repeatElement(0, count: 8))
    }
}

/// Keys of the id index: 8 bytes of SHA-256(stream), then the 32-byte event id.
///
/// The stream prefix is for write locality, not lookup: a batch's events mostly belong to a few streams,
/// so their index entries land on a few B-tree pages instead of one random page each. With plain ids as
/// keys every batch rewrote most of the index (LMDB copies each touched page), which capped appends
/// near 20,000 events/s at a million events.
enum IDKey {
    static func make(stream: String, id: Digest) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(size)
        withUnsafeBytes(of: prefix(stream: stream)) { key.append(contentsOf: $0) }
        id.withUnsafeBytes { key.append(contentsOf: $0) }
        return key
    }

    /// The first 8 bytes of a key, as they lie in memory: the first 8 bytes of SHA-256(stream).
    static func prefix(stream: String) -> UInt64 {
        var stream = stream
        return stream.withUTF8 {
            Digest.sha256(UnsafeRawBufferPointer($0)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
    }

    static let size = 40

    /// The event id inside a key.
    static func id(_ key: UnsafeRawBufferPointer) -> Digest? {
        guard key.count == size else { return nil }
        return Digest(raw: UnsafeRawBufferPointer(rebasing: key[8..<40]))
    }
}

/// Sequence numbers as 8-byte big-endian keys, so LMDB's byte order is numeric order.
enum SeqKey {
    static func bytes(_ seq: UInt64) -> [UInt8] {
        withUnsafeBytes(of: seq.bigEndian) { Array($0) }
    }

    static func decode(_ raw: UnsafeRawBufferPointer) -> UInt64? {
        guard raw.count == 8 else { return nil }
        return UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
    }
}
