import CLMDB
import Foundation

/// Checks an LMDB data file against its two meta pages before LMDB maps it.
///
/// LMDB trusts the file: it maps as many pages as its newest meta page says were committed, and a file cut
/// shorter than that (a copy that stopped, a full disk, a truncation) kills the first process that reads past
/// the end with SIGBUS, and a file of 0 bytes is taken for a new, empty one. Read here with `pread`, so a
/// damaged file gives one line (`LogError(.corrupt)`) naming it and what is wrong.
///
/// The layout is LMDB's `MDB_meta` (mdb.c, data version 1, 64-bit): after the 16-byte page header, `u32 magic`
/// (0xBEEFC0DE), `u32 version`, `void *address`, `size_t mapsize`, two `MDB_db` of 48 bytes (the free
/// database's first field, `md_pad`, holds the page size), `pgno_t last_pg`, `txnid_t txnid`. Page 0 and page 1
/// hold one meta each; LMDB uses the one with the higher transaction id.
package enum LMDBDataFile {
    /// What a meta page records.
    package struct Meta: Equatable, Sendable {
        package var pageSize: Int
        /// The last page a committed transaction uses.
        package var lastPage: UInt64
        package var transaction: UInt64

        /// Bytes the file must hold for this meta's transaction to be readable.
        package var requiredSize: UInt64 { (lastPage + 1) * UInt64(pageSize) }
    }

    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    /// `P_META`, in the page header's flags.
    static let metaFlag: UInt16 = 0x08
    static let flagsOffset = 10
    static let magicOffset = 16
    static let versionOffset = 20
    static let pageSizeOffset = 40
    static let lastPageOffset = 136
    /// Offset of a meta page's transaction id from the start of its page (tests flip it).
    package static let transactionOffset = 144
    static let metaEnd = 152

    /// The meta LMDB would open (the newest valid one); throws `.corrupt` naming what is wrong with the file.
    ///
    /// Retried a few times before it fails: a writer in another process may be rewriting a meta page while it is
    /// read, and it only ever grows the file.
    @discardableResult
    package static func check(_ path: String) throws(LogError) -> Meta {
        var attempt = 0
        while true {
            do {
                return try checkOnce(path)
            } catch let error where error.code == .corrupt && attempt < 2 {
                attempt += 1
            }
        }
    }

    private static func checkOnce(_ path: String) throws(LogError) -> Meta {
        let (size, metas) = try read(path)
        let newest = metas[1].transaction > metas[0].transaction ? metas[1] : metas[0]
        guard size >= newest.requiredSize else {
            throw LogError(
                .corrupt,
                "is \(size) bytes but its last committed transaction needs \(newest.requiredSize) (truncated?);"
                    + " restore the store from a copy or pull from a remote",
                path: path)
        }
        return newest
    }

    /// The file's two meta pages, page 0 first; throws `.corrupt` when either is damaged or missing.
    package static func metaPages(_ path: String) throws(LogError) -> [Meta] {
        try read(path).metas
    }

    private static func read(_ path: String) throws(LogError) -> (size: UInt64, metas: [Meta]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw LogError(
                code == EACCES ? .badStore : .io, "cannot open the event log: \(String(cString: strerror(code)))",
                path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw LogError(.io, "cannot stat the event log: \(String(cString: strerror(errno)))", path: path)
        }
        let size = UInt64(info.st_size)
        guard size > 0 else {
            throw LogError(
                .corrupt,
                "is 0 bytes (truncated?); restore the store from a copy or pull from a remote",
                path: path)
        }
        let first = try readMeta(fd, at: 0, index: 0, path: path, size: size)
        guard size >= 2 * UInt64(first.pageSize) else {
            throw LogError(
                .corrupt, "is \(size) bytes, shorter than its 2 meta pages of \(first.pageSize) bytes (truncated?)",
                path: path)
        }
        let second = try readMeta(fd, at: first.pageSize, index: 1, path: path, size: size)
        return (size, [first, second])
    }

    private static func readMeta(
        _ fd: Int32, at offset: Int, index: Int, path: String, size: UInt64
    ) throws(LogError)
        -> Meta
    {
        var page = [UInt8](repeating: 0, count: metaEnd)
        let n = page.withUnsafeMutableBytes { pread(fd, $0.baseAddress, metaEnd, off_t(offset)) }
        guard n >= 0 else {
            throw LogError(.io, "cannot read meta page \(index): \(String(cString: strerror(errno)))", path: path)
        }
        guard n == metaEnd else {
            throw LogError(
                .corrupt, "is \(size) bytes, too short to hold meta page \(index) (truncated?)", path: path)
        }
        func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            T(littleEndian: page.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) })
        }
        guard load(magicOffset, UInt32.self) == magic else {
            throw LogError(.corrupt, "not an LMDB file (meta page \(index) has no LMDB magic number)", path: path)
        }
        guard load(flagsOffset, UInt16.self) & metaFlag != 0 else {
            throw LogError(.corrupt, "meta page \(index) is damaged (not marked as a meta page)", path: path)
        }
        let version = load(versionOffset, UInt32.self)
        guard version == dataVersion else {
            throw LogError(.corrupt, "meta page \(index) has LMDB data version \(version), expected 1", path: path)
        }
        let pageSize = Int(load(pageSizeOffset, UInt32.self))
        guard pageSize >= 512, pageSize <= 1 << 16, pageSize & (pageSize - 1) == 0 else {
            throw LogError(.corrupt, "meta page \(index) is damaged (page size \(pageSize))", path: path)
        }
        return Meta(
            pageSize: pageSize, lastPage: load(lastPageOffset, UInt64.self),
            transaction: load(transactionOffset, UInt64.self))
    }

    /// Extends the data file with zeros to what its newest meta page needs, if it is shorter.
    ///
    /// LMDB 0.9 does not write a page that a transaction allocated and freed again (a "loose" page): when that
    /// is the last page, the file ends before the page the meta names last, harmlessly for LMDB (the page is
    /// free, so nothing reads it before it is written) but not for ``check(_:)``. Called by writers after each
    /// commit, while no other writer of the store can commit; never shrinks the file.
    static func extendIfShort(_ environment: LMDBEnvironment) {
        var info = MDB_envinfo()
        var stats = MDB_stat()
        guard mdb_env_info(environment.env, &info) == 0, mdb_env_stat(environment.env, &stats) == 0 else { return }
        let required = (UInt64(info.me_last_pgno) + 1) * UInt64(stats.ms_psize)
        let path = environment.path + "/data.mdb"
        var st = stat()
        guard stat(path, &st) == 0, UInt64(st.st_size) < required else { return }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // posix_fallocate only ever grows the file (a truncate could cut off what another writer just added).
        _ = posix_fallocate(fd, 0, off_t(required))
    }
}
