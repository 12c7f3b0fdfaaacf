import CLMDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Turns an LMDB return code into a typed error; every LMDB call goes through here.
@inline(__always)
func lmdbCheck(_ rc: Int32, _ what: @autoclosure () -> String, path: String? = nil) throws(LogError) {
    guard rc != 0 else { return }
    throw lmdbError(rc, what(), path: path)
}

func lmdbError(_ rc: Int32, _ what: String, path: String?) -> LogError {
    let reason = String(cString: mdb_strerror(rc))
    let code: LogError.Code
    switch rc {
    case MDB_MAP_FULL, ENOSPC_CODE: code = .full
    case MDB_INVALID, MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_VERSION_MISMATCH: code = .corrupt
    case MDB_NOTFOUND: code = .notFound
    case EACCES_CODE, ENOTDIR_CODE, ENOENT_CODE: code = .badStore
    default: code = .io
    }
    return LogError(code, "\(what): \(reason)", path: path)
}

// errno values used above; Glibc's are not imported into this file to keep C types contained.
private let ENOSPC_CODE: Int32 = 28
private let EIO_CODE: Int32 = 5
private let EACCES_CODE: Int32 = 13
private let ENOTDIR_CODE: Int32 = 20
private let ENOENT_CODE: Int32 = 2

/// One LMDB environment (a folder holding data.mdb and lock.mdb) with its named databases.
///
/// Safe to share between threads (opened with MDB_NOTLS). Transactions are synchronous closures:
/// never `await` inside one, and copy bytes out before it ends — the pointers LMDB hands out die with it.
final class LMDBEnvironment: @unchecked Sendable {
    let env: OpaquePointer
    let path: String
    /// Whether transactions release the pages they mapped (``releaseMappedPagesIfPolicy()``).
    let memory: MemoryPolicy
    private(set) var databases: [String: MDB_dbi] = [:]

    /// `fileMode`: the permission bits of the data and lock files if this creates them. `lockless`: open
    /// without the lock file (only with `readOnly`; see ``EventLog/open(at:readOnly:memory:identifier:)``).
    init(
        path: String, mapSize: Int, maxDatabases: Int, readOnly: Bool, memory: MemoryPolicy,
        fileMode: mode_t = 0o644, lockless: Bool = false
    ) throws(LogError) {
        var e: OpaquePointer?
        try lmdbCheck(mdb_env_create(&e), "cannot create LMDB environment", path: path)
        guard let e else { throw LogError(.io, "cannot create LMDB environment", path: path) }
        // From here on a throw runs deinit, which closes the environment.
        self.env = e
        self.path = path
        self.readOnly = readOnly
        self.memory = memory
        residentFiles = memory.releasesMappedPages ? ResidentFilePages() : nil
        try lmdbCheck(mdb_env_set_maxdbs(e, MDB_dbi(maxDatabases)), "cannot set max databases", path: path)
        try lmdbCheck(mdb_env_set_mapsize(e, mapSize), "cannot set map size", path: path)
        try lmdbCheck(mdb_env_set_maxreaders(e, 256), "cannot set max readers", path: path)
        var flags = UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) : Self.writerFlags)
        if readOnly && lockless { flags |= UInt32(MDB_NOLOCK) }
        try lmdbCheck(mdb_env_open(e, path, flags, fileMode), "cannot open the event log", path: path)
        openedAtTransaction = Self.lastTransaction(e)
        if memory.releasesMappedPages { mappedRanges = Self.mappedRanges(ofFile: path + "/data.mdb") }
    }

    /// What a writer opens the environment with besides MDB_NOTLS.
    ///
    /// MDB_NOMETASYNC: a commit flushes the data file once (the transaction's pages) instead of twice (then
    /// the meta page that makes them current, written through LMDB's O_DSYNC descriptor); the meta page
    /// reaches the disk with the next commit's flush, when the environment closes (see `deinit`), or when
    /// the kernel writes it back. The trade-off, as LMDB documents it: the log's integrity holds whatever
    /// happens, and a process killed after a commit keeps that commit (the meta page is in the page cache),
    /// but a crash of the operating system or a power loss before the next flush may undo the last committed
    /// transaction: the guarantee of SQLite's WAL with synchronous=NORMAL. On the benchmark's disk it took
    /// 1-4% off a commit of 10,000 small events on a quiet machine and 5-11% under other disk load.
    ///
    /// Not MDB_WRITEMAP: commits (an msync of the map) took 3.5 times as long there, the data file would
    /// look as big as the whole map (LMDB extends it to the map size, so it doubles with each growth of the
    /// map), and a full disk would kill the process with SIGBUS instead of failing the commit.
    static let writerFlags = UInt32(MDB_NOMETASYNC)

    private let readOnly: Bool
    /// The last committed transaction when the environment was opened; nil until it is open.
    private var openedAtTransaction: Int?

    deinit {
        // The last commit's meta page may be only in the page cache (see `writerFlags`): flush it, so that what
        // a process committed before it finished survives a later power loss. Only if something was committed
        // meanwhile, by any process: a flush with nothing to write still waits for the device.
        if !readOnly, let opened = openedAtTransaction, Self.lastTransaction(env) != opened {
            _ = mdb_env_sync(env, 1)
        }
        mdb_env_close(env)
    }

    /// The id of the environment's last committed transaction.
    private static func lastTransaction(_ env: OpaquePointer) -> Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_last_txnid
    }

    /// Opens (creating when `create`) the named databases inside one write transaction.
    func openDatabases(_ names: [String], create: Bool) throws(LogError) {
        var txn: OpaquePointer?
        try lmdbCheck(
            mdb_txn_begin(env, nil, create ? 0 : UInt32(MDB_RDONLY), &txn), "cannot begin transaction", path: path)
        var opened: [String: MDB_dbi] = [:]
        for name in names {
            var dbi: MDB_dbi = 0
            let rc = mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
            if rc != 0 {
                mdb_txn_abort(txn)
                if rc == MDB_NOTFOUND {
                    throw LogError(
                        .notInitialized, "not a smithlog store (no '\(name)' table); run `smithlog init`",
                        path: path)
                }
                throw lmdbError(rc, "cannot open table '\(name)'", path: path)
            }
            opened[name] = dbi
        }
        try lmdbCheck(mdb_txn_commit(txn), "cannot commit", path: path)
        databases = opened
    }

    func dbi(_ name: String) -> MDB_dbi { databases[name]! }

    /// The current map size in bytes.
    var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_mapsize
    }

    /// Keeps this process's transactions off the map while it is resized.
    private let mapLock = MapLock()

    /// Sets a new map size (0 adopts the size another process grew the map to) once no other transaction of
    /// this process is open; `unless` (given the size now) may find the resize no longer needed.
    private func resizeMap(to size: Int, unless done: (Int) -> Bool = { _ in false }) throws(LogError) {
        var failure: LogError?
        let ran = mapLock.exclusive {
            guard !done(mapSize) else { return }
            do throws(LogError) {
                try lmdbCheck(mdb_env_set_mapsize(env, size), "cannot resize the map", path: path)
            } catch {
                failure = error
            }
            // The map may have moved: find it again while no transaction of this process can read it.
            if memory.releasesMappedPages { mappedRanges = Self.mappedRanges(ofFile: path + "/data.mdb") }
        }
        if let failure { throw failure }
        guard ran else {
            throw LogError(
                .full, "the store's map must grow, which cannot happen inside another open transaction", path: path)
        }
    }

    /// What one attempt at a transaction came to.
    private enum Attempt<T> {
        case done(T)
        /// The map was full at this size: grow it and try again.
        case full(mapSize: Int)
        /// Another process grew the map: adopt its size and try again.
        case resized
    }

    /// Runs `body` in a read-only transaction.
    func read<T>(_ body: (LMDBTransaction) throws -> T) throws -> T {
        while true {
            let attempt: Attempt<T> = try mapLock.shared {
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
                if rc == MDB_MAP_RESIZED { return .resized }
                try lmdbCheck(rc, "cannot begin read transaction", path: path)
                defer { mdb_txn_abort(txn) }
                return .done(try body(LMDBTransaction(txn: txn!, environment: self, isReadOnly: true)))
            }
            guard case .done(let result) = attempt else {
                try resizeMap(to: 0)
                continue
            }
            return result
        }
    }

    /// Runs `body` in a write transaction and commits it; nothing is written if `body` throws.
    ///
    /// When the map is full the transaction is aborted, the map doubled, and `body` runs again, so
    /// `body` must be repeatable (compute everything it needs before calling this).
    func write<T>(_ body: (LMDBTransaction) throws -> T) throws -> T {
        while true {
            switch try mapLock.shared({ try writeAttempt(body) }) {
            case .done(let result):
                releaseMappedPagesIfHeld()
                return result
            case .full(let size):
                // Another thread of this process may have grown it meanwhile.
                try resizeMap(to: size * 2, unless: { $0 > size })
            case .resized:
                try resizeMap(to: 0)
            }
        }
    }

    private func writeAttempt<T>(_ body: (LMDBTransaction) throws -> T) throws -> Attempt<T> {
        var txn: OpaquePointer?
        var rc = mdb_txn_begin(env, nil, 0, &txn)
        if rc == MDB_MAP_RESIZED { return .resized }
        try lmdbCheck(rc, "cannot begin write transaction", path: path)
        let result: T
        do {
            result = try body(LMDBTransaction(txn: txn!, environment: self, isReadOnly: false))
        } catch let error as LogError where error.code == .full && error.message == LMDBTransaction.mapFullMarker {
            mdb_txn_abort(txn)
            return .full(mapSize: mapSize)
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        rc = mdb_txn_commit(txn)
        if rc == MDB_MAP_FULL { return .full(mapSize: mapSize) }
        // LMDB reports a short write as EIO: on a full disk, say so rather than "Input/output error".
        if rc == EIO_CODE || rc == ENOSPC_CODE, let free = FileManagerShim.freeBytes(at: path), free < 64 << 20 {
            throw LogError(
                .full,
                "cannot commit: the disk holding the store is full (\(free) bytes free); this transaction was"
                    + " not written, and what was committed before it is intact",
                path: path)
        }
        try lmdbCheck(rc, "cannot commit", path: path)
        return .done(result)
    }

    /// A read of one record outside any scan (a blob, an event by seq), which mapped about `bytes`: the pages
    /// are released once this process's reads have mapped about ``ScanPageRelease/budget``, when the opener's
    /// ``MemoryPolicy`` asks for it. A caller reading many of them one by one (a catch-up's appliers reading
    /// the blobs their events cite) otherwise kept them all resident to its end.
    func notePointRead(_ bytes: Int) {
        noteMapped(bytes, limit: ScanPageRelease.budget)
    }

    /// `bytes` more mapped by one of this process's reads, as the reader estimates it: the store pages are
    /// released once all the readers together hold `limit` of them, when the opener's ``MemoryPolicy`` asks for
    /// it.
    ///
    /// What they hold is measured (``ResidentFilePages``) each time the estimates since the last look reach an
    /// eighth of `limit`, and estimated where it cannot be. Estimates alone, one count per reader, let the pages
    /// grow with the store: a lookup or a scan in a larger store's deeper trees maps more than its reader
    /// counts, and readers on two threads (a pull's lookups and its writer, a catch-up's reading thread and
    /// its appliers) each held a budget of their own.
    func noteMapped(_ bytes: Int, limit: Int) {
        guard memory.releasesMappedPages else { return }
        let sinceLook = countedSinceLook.add(bytes, ordering: .relaxed).newValue
        guard sinceLook >= limit / 8 else { return }
        countedSinceLook.store(0, ordering: .relaxed)
        if releaseIfHolding(limit) == nil, countedSinceRelease.add(sinceLook, ordering: .relaxed).newValue >= limit {
            releaseMappedPages()
        }
    }

    /// Releases the store pages when this process's file pages have grown by `limit` since the last release;
    /// whether it did, or nil (nothing done) when they cannot be measured.
    private func releaseIfHolding(_ limit: Int) -> Bool? {
        let after = residentAfterRelease.load(ordering: .relaxed)
        guard after >= 0, let now = residentFiles?.bytes() else { return nil }
        if now - after >= limit {
            releaseMappedPages()
            return true
        }
        // Another file's pages left (unmapped, released): measure from here, or they would hide the store's.
        if now < after { residentAfterRelease.store(now, ordering: .relaxed) }
        return false
    }

    /// Estimates of what the readers mapped since ``noteMapped(_:limit:)`` last measured, and (where nothing can
    /// be measured) since the last release.
    private let countedSinceLook = Atomic<Int>(0)
    private let countedSinceRelease = Atomic<Int>(0)
    /// Only when the opener's ``MemoryPolicy`` releases pages: nothing else reads it.
    private let residentFiles: ResidentFilePages?
    /// File pages resident right after the last release (the program's and the libraries', none of the
    /// store's); -1 before the first one, or when they cannot be read.
    private let residentAfterRelease = Atomic<Int>(-1)
    private let releaseCount = Atomic<Int>(0)

    /// How many times this process released the store pages: a reader that remembers which pages it mapped
    /// lately knows them unmapped once this changes.
    var releases: Int { releaseCount.load(ordering: .relaxed) }

    /// ``releaseMappedPages()`` if the opener's ``MemoryPolicy`` asks for it, else nothing: the one place the
    /// store's reads, appends and scans consult the policy.
    func releaseMappedPagesIfPolicy() {
        if memory.releasesMappedPages { releaseMappedPages() }
    }

    /// After a commit, or between the parts of a transaction: ``releaseMappedPages()`` only when this process
    /// holds a ``ScanPageRelease/budget`` more file pages than right after the last release (measured), and
    /// always where that cannot be measured; when the opener's ``MemoryPolicy`` asks for it.
    ///
    /// Not after every commit: a pull commits hundreds of times, each release unmapped the upper pages of the
    /// trees the next transaction walks again, and each fault that maps one back maps the whole large folio of
    /// the page cache it hits (up to 512 KB on Linux 6.18).
    func releaseMappedPagesIfHeld() {
        guard memory.releasesMappedPages else { return }
        if releaseIfHolding(ScanPageRelease.budget) == nil { releaseMappedPages() }
    }

    /// Unmaps, from this process only, the store pages it has touched; they stay in the page cache.
    ///
    /// Reading a B-tree page through the map makes the kernel map the cached pages around it too (fault-
    /// around, 64 KB), so a long ingest that looks up and inserts keys all over a large store would end up
    /// with much of the file in its resident set, growing with the store rather than with what it holds.
    /// After a commit nothing refers to those pages; the next transaction maps what it reads again (a minor
    /// fault, no I/O).
    private func releaseMappedPages() {
        countedSinceRelease.store(0, ordering: .relaxed)
        releaseCount.add(1, ordering: .relaxed)
        defer { residentAfterRelease.store(residentFiles?.bytes() ?? -1, ordering: .relaxed) }
        // Under the map lock: a resize between reading the mappings and unmapping them could hand that range to
        // other memory, which MADV_DONTNEED would then wipe.
        mapLock.shared { releaseMappedPagesNow() }
    }

    /// Where this process maps the data file, found when the environment opens and after each resize (the
    /// only times LMDB maps it), so that a release costs one madvise per range and no read of
    /// /proc/self/maps. Written only while no transaction of this process is open (the open, or under the map
    /// lock held exclusive) and read under it held shared.
    private var mappedRanges: [(start: UnsafeMutableRawPointer, length: Int)] = []

    private func releaseMappedPagesNow() {
        for range in mappedRanges { _ = madvise(range.start, range.length, MADV_DONTNEED) }
    }

    /// The ranges this process maps `file` at, as the kernel lists its mappings.
    ///
    /// LMDB does not hand out its map's address (mdb_env_info reports it only for MDB_FIXEDMAP), so it is
    /// found by the file's inode.
    private static func mappedRanges(ofFile file: String) -> [(start: UnsafeMutableRawPointer, length: Int)] {
        var info = stat()
        guard stat(file, &info) == 0, let maps = FileManagerShim.text(atPath: "/proc/self/maps") else { return [] }
        let inode = String(info.st_ino)
        return maps.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[4] == inode else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                let address = UnsafeMutableRawPointer(bitPattern: start)
            else { return nil }
            return (address, Int(end - start))
        }
    }
}

/// A live LMDB transaction; valid only inside the closure that received it.
struct LMDBTransaction {
    static let mapFullMarker = "map full"
    let txn: OpaquePointer
    let environment: LMDBEnvironment
    /// A read transaction: what it reads was committed.
    let isReadOnly: Bool

    /// Looks `key` up and hands the value's bytes to `body` (which must copy what it keeps).
    func get<T>(
        _ db: MDB_dbi, _ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T
    )
        throws -> T?
    {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, db, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try lmdbCheck(rc, "cannot read", path: environment.path)
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Stores `value` under `key`; returns false (and writes nothing) when `noOverwrite` and the key exists.
    @discardableResult
    func put(
        _ db: MDB_dbi, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, append: Bool = false,
        noOverwrite: Bool = false
    ) throws(LogError) -> Bool {
        try lmdbPut(key, value, append: append, noOverwrite: noOverwrite, path: environment.path) { k, v, flags in
            mdb_put(txn, db, &k, &v, flags)
        }
    }

    /// Runs `body` with a cursor on `db`, closed when `body` returns; for runs of writes to one database.
    func withCursor<T>(_ db: MDB_dbi, _ body: (LMDBCursor) throws -> T) throws -> T {
        var cursor: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(txn, db, &cursor), "cannot open cursor", path: environment.path)
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(cursor: cursor!, path: environment.path))
    }

    /// Walks keys from `start` (or the first key) in order; `body` returns false to stop.
    func scan(
        _ db: MDB_dbi, from start: UnsafeRawBufferPointer?,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var cursor: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(txn, db, &cursor), "cannot open cursor", path: environment.path)
        defer { mdb_cursor_close(cursor) }
        var k = MDB_val()
        var v = MDB_val()
        var rc: Int32
        if let start {
            k = MDB_val(mv_size: start.count, mv_data: UnsafeMutableRawPointer(mutating: start.baseAddress))
            rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
        } else {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
        }
        try walk(cursor, rc, &k, &v, body)
    }

    /// Calls `body` with the pair a cursor positioning left in `k`/`v` (when `rc` is 0) and each next pair,
    /// until `body` returns false or the database ends.
    func walk(
        _ cursor: OpaquePointer?, _ rc: Int32, _ k: inout MDB_val, _ v: inout MDB_val,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var rc = rc
        while rc == 0 {
            let keep = try body(
                UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
            if !keep { return }
            rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
        }
        if rc != MDB_NOTFOUND { try lmdbCheck(rc, "cannot read", path: environment.path) }
    }

    /// The last key/value of a database, or nil when it is empty.
    func last<T>(
        _ db: MDB_dbi, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> T
    )
        throws -> T?
    {
        var cursor: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(txn, db, &cursor), "cannot open cursor", path: environment.path)
        defer { mdb_cursor_close(cursor) }
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
        if rc == MDB_NOTFOUND { return nil }
        try lmdbCheck(rc, "cannot read", path: environment.path)
        return try body(
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Number of entries in a database.
    func count(_ db: MDB_dbi) throws(LogError) -> Int {
        var stat = MDB_stat()
        try lmdbCheck(mdb_stat(txn, db, &stat), "cannot stat", path: environment.path)
        return stat.ms_entries
    }
}

/// A write cursor, valid only inside the ``LMDBTransaction/withCursor(_:_:)`` closure that received it.
///
/// Writing through one cursor instead of `put` on the transaction lets LMDB start each key's search on the
/// page the previous write left it on, which skips the walk from the root when keys arrive close together.
struct LMDBCursor {
    let cursor: OpaquePointer
    let path: String

    /// Like ``LMDBTransaction/put(_:_:_:append:noOverwrite:)``.
    @discardableResult
    func put(
        _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, append: Bool = false,
        noOverwrite: Bool = false
    ) throws(LogError) -> Bool {
        try lmdbPut(key, value, append: append, noOverwrite: noOverwrite, path: path) { k, v, flags in
            mdb_cursor_put(cursor, &k, &v, flags)
        }
    }
}

/// One put, through a transaction or a cursor: flags from the options, and MDB_MAP_FULL turned into the marker
/// error `LMDBEnvironment.write` answers by growing the map and retrying.
@inline(__always)
private func lmdbPut(
    _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, append: Bool, noOverwrite: Bool, path: String,
    _ put: (inout MDB_val, inout MDB_val, UInt32) -> Int32
) throws(LogError) -> Bool {
    var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
    var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
    var flags: UInt32 = 0
    if append { flags |= UInt32(MDB_APPEND) }
    if noOverwrite { flags |= UInt32(MDB_NOOVERWRITE) }
    let rc = put(&k, &v, flags)
    if rc == MDB_KEYEXIST && noOverwrite { return false }
    if rc == MDB_MAP_FULL { throw LogError(.full, LMDBTransaction.mapFullMarker, path: path) }
    try lmdbCheck(rc, "cannot write", path: path)
    return true
}
