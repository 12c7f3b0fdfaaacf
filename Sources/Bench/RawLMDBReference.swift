import CLMDB
import Foundation

/// The floor for appends: raw LMDB puts of the same number of seq-keyed values, no hashing, no indexes.
///
/// Opened with LMDB's default sync whatever the store uses, so that it stays the floor with fsync per commit.
enum RawLMDBReference {
    static let commitMode = "LMDB default: data and meta page flushed per commit"

    static func append(count: Int, valueSize: Int, batch: Int, dir: String) -> Double {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_mapsize(env, 1 << 32)
        guard mdb_env_open(env, dir, UInt32(MDB_NOTLS), 0o644) == 0 else { return 0 }
        defer { mdb_env_close(env) }
        var value = [UInt8](repeating: 0x61, count: valueSize)
        let start = Clock.now
        var n = 0
        while n < count {
            var txn: OpaquePointer?
            mdb_txn_begin(env, nil, 0, &txn)
            var dbi: MDB_dbi = 0
            mdb_dbi_open(txn, nil, 0, &dbi)
            for i in n..<min(n + batch, count) {
                var key = UInt64(i + 1).bigEndian
                withUnsafeMutableBytes(of: &key) { k in
                    value.withUnsafeMutableBytes { v in
                        var mk = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                        var mv = MDB_val(mv_size: v.count, mv_data: v.baseAddress)
                        _ = mdb_put(txn, dbi, &mk, &mv, UInt32(MDB_APPEND))
                    }
                }
            }
            mdb_txn_commit(txn)
            n = min(n + batch, count)
        }
        return Double(count) / Clock.since(start)
    }
}
