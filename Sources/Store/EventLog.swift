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
        // Everything expensive happens before the writer lock is taken.
        // Hashing and encoding dominate an append's CPU time; spread them over the cores for big batches.
        let prepare = { (e: NewEvent) -> PreparedEvent in
            let id = e.id
            return PreparedEvent(
                event: e, id: id, idKey: IDKey.make(stream: e.stream, id: id),
                payload: PythonJSON.compactBytes(e.payload))
        }
        let prepared = newEvents.count >= 512 ? ParallelMap.map(newEvents, prepare) : newEvents.map(prepare)
        for e in newEvents {
            guard !e.type.isEmpty, !e.type.utf8.contains(0), e.type.utf8.count < 1024 else {
                throw LogError(.invalidArgument, "bad event type '\(e.type)'")
            }
            guard !e.stream.isEmpty, !e.stream.utf8.contains(0) else {
                throw LogError(.invalidArgument, "bad stream name '\(e.stream)'")
            }
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
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
            var record: [UInt8] = []
            var indexKey: [UInt8] = []
            for (index, p) in prepared.enumerated() {
                if index == prepared.count / 2 { midTransaction?() }
                for b in p.event.blobs where !batchBlobs.contains(b) {
                    let present = try b.withUnsafeBytes { k in try txn.get(self.blobTable, k) { _ in true } }
                    guard present != nil else {
                        throw LogError(
                            .invalidArgument, "event \(p.event.type) refers to blob \(b.hex), which is not stored")
                    }
                }
                let seq = head.seq + 1
                let seqKey = SeqKey.bytes(seq)
                let inserted = try p.idKey.withUnsafeBytes { k in
                    try seqKey.withUnsafeBytes { v in try txn.put(self.ids, k, v, noOverwrite: true) }
                }
                if !inserted {
                    let existing = try p.idKey.withUnsafeBytes { k in
                        try txn.get(self.ids, k) { SeqKey.decode($0) }
                    }
                    outcomes.append(.existing((existing ?? nil) ?? 0))
                    continue
                }
                let e = RecordedEvent(
                    seq: seq, id: p.id, previousHash: head.hash, recordedAt: now,
                    schemaVersion: p.event.schemaVersion, type: p.event.type, stream: p.event.stream, actor: self.actor,
                    blobs: p.event.blobs, payloadBytes: p.payload)
                EventRecordCodec.encode(e, into: &record)
                try seqKey.withUnsafeBytes { k in
                    try record.withUnsafeBytes { v in _ = try txn.put(self.events, k, v, append: true) }
                }
                try self.putIndex(txn, self.streams, name: e.stream, seqKey: seqKey, scratch: &indexKey)
                try self.putIndex(txn, self.types, name: e.type, seqKey: seqKey, scratch: &indexKey)
                head = Head(seq: seq, hash: record.withUnsafeBytes { Digest.sha256($0) })
                outcomes.append(.appended(seq))
            }
            try self.writeHead(txn, head)
            return outcomes
        }
    }

    /// Stores blobs without events (they stay unreferenced until an event names them).
    public func putBlobs(_ blobs: [PreparedBlob]) throws {
        try append([], blobs: blobs)
    }

    private func putIndex(
        _ txn: LMDBTransaction, _ db: MDB_dbi, name: String, seqKey: [UInt8], scratch: inout [UInt8]
    )
        throws
    {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: name.utf8)
        scratch.append(0)
        scratch.append(contentsOf: seqKey)
        try scratch.withUnsafeBytes { k in
            _ = try txn.put(db, k, UnsafeRawBufferPointer(start: k.baseAddress, count: 0))
        }
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

/// An event with everything computed that can be computed outside the write transaction.
struct PreparedEvent: Sendable {
    var event: NewEvent
    var id: Digest
    var idKey: [UInt8]
    var payload: [UInt8]
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
        var stream = stream
        stream.withUTF8 {
            Digest.sha256(UnsafeRawBufferPointer($0)).withUnsafeBytes { key.append(contentsOf: $0.prefix(8)) }
        }
        id.withUnsafeBytes { key.append(contentsOf: $0) }
        return key
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
