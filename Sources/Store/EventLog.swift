import CLMDB
import Foundation

/// The append-only event log and blob store of one smithlog store, in one LMDB environment.
///
/// Appends are serialised by LMDB's writer lock, across threads and processes alike, so sequence
/// numbers stay gapless whoever writes. One `append` call is one write transaction: its events and
/// blobs are all in or all out, even if the process is killed mid-way.
public final class EventLog: Sendable {
    static let tableNames = ["events", "ids", "streams", "types", "blobs", "slices", "meta"]
    /// Stored-format version, kept in `meta` so a future release can refuse or upgrade old stores.
    /// 2: stream and type indexes hold one posting list per name and batch (format 1 had an entry per event).
    /// 3: slices of packs (``PreparedBlobPack``) in a table of their own, `slices`.
    /// 4: blobs may be stored against another blob (the delta codec, ``BlobReference``).
    /// 5: the stream index is keyed by ``StreamKey`` instead of the stream's UTF-8, the id index by the
    ///    format 5 ``StreamKey``, and records are written in version 2 of ``EventRecordCodec`` (type codes, no
    ///    seq, varint lengths).
    /// 6: records may carry an id their appender gave (``NewEvent/givenID``), and the id index may hold
    ///    aliases: an older event also filed under its identity id (see ``Identifier``).
    /// 7: records may carry the origin of an event pulled from another store (``EventRecordCodec/originFlag``),
    ///    and `meta` holds the store's ``StoreID`` and pull cursors. A format 6 store needs no change to become 7.
    static let formatVersion: UInt32 = 7
    /// Older formats this release reads as they are. A store opened for writing is upgraded first (see
    /// `upgrade`) and marked with the current format, so an older smithlog refuses it instead of misreading
    /// what this one adds.
    static let upgradableFormats: Set<UInt32> = [3, 4, 5, 6]
    /// The first format whose indexes are keyed by format 5 ``StreamKey``s.
    static let streamKeyFormat: UInt32 = 5
    /// The first format whose events may be found by an identity id other than their stored one.
    static let aliasFormat: UInt32 = 6

    /// The identity id of a logged event, by which its domain names the fact whatever payload version it was
    /// written in; nil when the event has none other than its stored id.
    ///
    /// Given when opening a store for writing: one written by an older smithlog (format 5 and before) holds
    /// ids that hash the whole payload, and is upgraded by filing each event, in the id index, also under the
    /// id this returns, so that the fact re-recorded with that id (``NewEvent/givenID``) is found and not
    /// logged twice. `verify` also checks given ids against it. It runs inside a write transaction of the log:
    /// it must not use the log itself.
    public typealias Identifier = @Sendable (RecordedEvent) throws -> Digest?

    let environment: LMDBEnvironment
    let events: MDB_dbi
    let ids: MDB_dbi
    let streams: MDB_dbi
    let types: MDB_dbi
    let blobTable: MDB_dbi
    /// Slices of packs: a dataset's rows, hundreds of thousands of small entries. Kept apart from `blobs`
    /// (trajectories, reports: thousands) so that an ingest's inserts land in a small tree: inserting at
    /// random places in one big tree touched a page of it per artifact, and the process's resident memory
    /// grew with the store.
    let sliceTable: MDB_dbi
    let meta: MDB_dbi
    /// The codes version 2 records give their types.
    let typeCodes: TypeCodes
    public let location: StoreLocation
    /// `user@host`, recorded on every appended event.
    public let actor: String
    /// The opener's identifier, if it gave one.
    let identifier: Identifier?
    /// The opener's choice of what to do with the store's pages once read.
    public var memoryPolicy: MemoryPolicy { environment.memory }

    /// Creates the store if needed and opens it; an existing store written by an older smithlog is upgraded
    /// as by ``open(at:readOnly:memory:identifier:)``. `memory`: see ``MemoryPolicy``; `shared`: make the
    /// store group-writable (``StoreSharing/group``).
    public static func create(
        at location: StoreLocation, initialMapSize: Int = 1 << 28, memory: MemoryPolicy = .default,
        shared: Bool = false, identifier: Identifier? = nil
    ) throws(LogError) -> EventLog {
        try location.create(shared: shared)
        return try EventLog(
            location: location, create: true, initialMapSize: initialMapSize, memory: memory, identifier: identifier)
    }

    /// Opens an existing store; fails with `.notInitialized` when there is none.
    ///
    /// A store written by an older smithlog is read as it is when `readOnly`; opened for writing it is first
    /// upgraded to the current format in one transaction, which needs `identifier` (see ``Identifier``):
    /// without one the open fails with `.needsUpgrade`. `memory`: see ``MemoryPolicy``.
    public static func open(
        at location: StoreLocation, readOnly: Bool = false, memory: MemoryPolicy = .default,
        identifier: Identifier? = nil
    ) throws(LogError) -> EventLog {
        try location.checkExists()
        return try EventLog(
            location: location, create: false, initialMapSize: 0, readOnly: readOnly, memory: memory,
            identifier: identifier)
    }

    private init(
        location: StoreLocation, create: Bool, initialMapSize: Int, readOnly: Bool = false, memory: MemoryPolicy,
        identifier: Identifier?
    ) throws(LogError) {
        self.location = location
        self.identifier = identifier
        let path = location.logPath
        let sharing = location.sharing
        let access = try StoreAccess(location: location, readOnly: readOnly)
        // Before LMDB maps the file, which it trusts: a short one would kill the process with SIGBUS.
        let dataFile = path + "/data.mdb"
        if !create || FileManager.default.fileExists(atPath: dataFile) { try LMDBDataFile.check(dataFile) }
        // 0 keeps the size recorded in the file; LMDB then uses the larger of that and its default.
        environment = try LMDBEnvironment(
            path: path, mapSize: initialMapSize, maxDatabases: Self.tableNames.count, readOnly: readOnly,
            memory: memory, fileMode: mode_t(sharing.fileMode), lockless: access == .withoutLockFile)
        // A reader may be the one that made the lock file: it must be group-writable too. Only a file this user
        // owns and that lacks the bits is changed (a stat each otherwise).
        if !readOnly { try sharing.adjust(path + "/data.mdb") }
        if access == .withLockFile { try? sharing.adjust(path + "/lock.mdb") }
        try environment.openDatabases(Self.tableNames, create: create && !readOnly)
        events = environment.dbi("events")
        ids = environment.dbi("ids")
        streams = environment.dbi("streams")
        types = environment.dbi("types")
        blobTable = environment.dbi("blobs")
        sliceTable = environment.dbi("slices")
        meta = environment.dbi("meta")
        typeCodes = TypeCodes(meta: meta, path: path)
        let user = ProcessUser.name
        actor = "\(user)@\(ProcessInfo.processInfo.hostName)"
        if create && !readOnly {
            try writeFormatVersionIfNew()
            _ = try typed { try ensureStoreID() }
        }
        let version = try checkFormatVersion()
        if version != Self.formatVersion && !readOnly {
            // From format 6 on, an upgrade needs no identities: it only marks the store.
            let noIdentities: Identifier = { _ in nil }
            guard let identifier = identifier ?? (version >= Self.aliasFormat ? noIdentities : nil) else {
                throw LogError(
                    .needsUpgrade,
                    "this store was written by an older smithlog (store format \(version)); before anything is"
                        + " written to it, it must be upgraded to format \(Self.formatVersion), which needs the"
                        + " events' identities: open it through smithlog's domain layer (any smithlog command that"
                        + " records events does), or read-only",
                    path: location.logPath)
            }
            try upgrade(identifier)
        }
        if !readOnly { LMDBDataFile.extendIfShort(environment) }
    }

    /// The table a stored blob value belongs in.
    func table(forStored stored: UnsafeRawBufferPointer) -> MDB_dbi {
        BlobFormat.sliceReference(stored) == nil ? blobTable : sliceTable
    }

    /// A blob's stored value (from `blobs` or `slices`) handed to `body`; nil when the store lacks it.
    func storedBlob<T>(
        _ txn: LMDBTransaction, _ digest: Digest, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws
        -> T?
    {
        try digest.withUnsafeBytes { k in
            if let found = try txn.get(blobTable, k, body) { return found }
            return try txn.get(sliceTable, k, body)
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

    func writeHead(_ txn: LMDBTransaction, _ head: Head) throws {
        let value = SeqKey.bytes(head.seq) + head.hash.bytes
        try Array("head".utf8).withUnsafeBytes { k in
            try value.withUnsafeBytes { v in _ = try txn.put(meta, k, v) }
        }
    }

    /// `body`'s error as a ``LogError`` (any other kind reported as an I/O error on the log).
    func typed<T>(_ body: () throws -> T) throws(LogError) -> T {
        do {
            return try body()
        } catch let e as LogError {
            throw e
        } catch {
            throw LogError(.io, "\(error)", path: location.logPath)
        }
    }

    private func writeFormatVersionIfNew() throws(LogError) {
        try typed { try environment.write { txn in try writeFormatVersion(txn, replacing: false) } }
    }

    func writeFormatVersion(_ txn: LMDBTransaction, replacing: Bool) throws {
        let v = withUnsafeBytes(of: Self.formatVersion.littleEndian) { Array($0) }
        try Array("format".utf8).withUnsafeBytes { k in
            try v.withUnsafeBytes { v in _ = try txn.put(meta, k, v, noOverwrite: !replacing) }
        }
    }

    /// Whether the store's indexes are keyed by format 5 ``StreamKey``s, as `txn` sees it (a store opened for
    /// reading only keeps the format it was written in).
    func usesStreamKeys(_ txn: LMDBTransaction) throws -> Bool {
        try (formatVersion(txn) ?? 0) >= Self.streamKeyFormat
    }

    /// The format recorded in the store; nil when there is none.
    func formatVersion(_ txn: LMDBTransaction) throws -> UInt32? {
        try Array("format".utf8).withUnsafeBytes { k in
            try txn.get(meta, k) { raw -> UInt32? in
                raw.count == 4 ? UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)) : nil
            } ?? nil
        }
    }

    /// The store's format, if this release reads it.
    @discardableResult
    private func checkFormatVersion() throws(LogError) -> UInt32 {
        let version = try typed { try environment.read { txn in try formatVersion(txn) } }
        guard let version else {
            throw LogError(.corrupt, "not a smithlog store (no format version)", path: location.logPath)
        }
        guard version == Self.formatVersion || Self.upgradableFormats.contains(version) else {
            throw LogError(
                .corrupt,
                "store format \(version) is not supported by this smithlog (format \(Self.formatVersion));"
                    + " old stores are not upgraded: re-create it and re-run the ingests",
                path: location.logPath)
        }
        return version
    }
}
