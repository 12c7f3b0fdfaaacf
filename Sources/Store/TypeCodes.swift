import CLMDB
import Foundation

/// The store's event types, each with the 2-byte code that version 2 records hold instead of its name.
///
/// A code is assigned inside the write transaction that first appends its type, so it commits or vanishes
/// with that batch; codes count up from 1 and never change. They are kept in `meta` under `type/` and the
/// code (2 bytes big-endian), with the type's UTF-8 as the value. A process keeps the codes it has seen, and
/// each read transaction starts from them, checking with one lookup that its snapshot of the store has no more.
final class TypeCodes: @unchecked Sendable {
    /// A snapshot of the codes: the name of each, and the code of each name.
    struct Names: Sendable {
        /// The name of code `c` at `c - 1`.
        private(set) var byCode: [String] = []
        private(set) var codes: [String: UInt16] = [:]

        func name(_ code: UInt16) -> String? {
            code >= 1 && Int(code) <= byCode.count ? byCode[Int(code) - 1] : nil
        }

        fileprivate mutating func add(_ name: String) {
            byCode.append(name)
            codes[name] = UInt16(byCode.count)
        }
    }

    static let keyPrefix = Array("type/".utf8)
    /// Codes are 2 bytes, and 0 is none.
    static let maxCount = Int(UInt16.max)

    private let lock = NSLock()
    private var known = Names()
    private let meta: MDB_dbi
    private let path: String

    init(meta: MDB_dbi, path: String) {
        self.meta = meta
        self.path = path
    }

    /// The codes this process has seen so far.
    var snapshot: Names { lock.withLock { known } }

    /// Every code `txn` sees, for decoding what it reads: this process's snapshot when the store has no code
    /// past it (one lookup), else the codes read again from `txn`, kept as the snapshot when committed.
    ///
    /// A value fixed for the transaction, since codes only get added and a transaction sees one state of the
    /// store: the decoding of each record needs neither a lock nor a miss path that updates it. In a write
    /// transaction, call it before the transaction assigns codes (``code(for:in:_:)``).
    func names(in txn: LMDBTransaction) throws -> Names {
        let known = snapshot
        guard known.byCode.count < Self.maxCount else { return known }
        let next = known.byCode.count + 1
        let more = try (Self.keyPrefix + [UInt8(next >> 8), UInt8(next & 0xff)]).withUnsafeBytes { k in
            try txn.get(meta, k) { _ in true } ?? false
        }
        guard more else { return known }
        let names = try load(txn)
        if txn.isReadOnly { adopt(names) }
        return names
    }

    /// The codes as `txn` sees them. Not kept as the snapshot here: in a write transaction they may include
    /// codes that are not committed yet (see ``adopt(_:)``).
    func load(_ txn: LMDBTransaction) throws -> Names {
        var names = Names()
        try Self.keyPrefix.withUnsafeBytes { prefix in
            try txn.scan(meta, from: prefix) { key, value in
                guard key.starts(with: Self.keyPrefix) else { return false }
                guard key.count == Self.keyPrefix.count + 2,
                    Int(key[key.count - 2]) << 8 | Int(key[key.count - 1]) == names.byCode.count + 1
                else {
                    throw LogError(.corrupt, "the store's table of event types is damaged", path: path)
                }
                names.add(String(decoding: value, as: UTF8.self))
                return true
            }
        }
        return names
    }

    /// Keeps `names` as this process's snapshot if it holds more codes (codes only ever get added); only
    /// codes read in a read transaction or committed by this process.
    func adopt(_ names: Names) {
        lock.withLock { if names.byCode.count > known.byCode.count { known = names } }
    }

    /// The code of `type` in the write transaction `txn`, assigning the next one (written to `meta` in `txn`)
    /// when the store has none for it yet. `names` starts as a snapshot and is brought up to date on a miss.
    func code(for type: String, in txn: LMDBTransaction, _ names: inout Names) throws -> UInt16 {
        if let code = names.codes[type] { return code }
        // Another process may have assigned codes since the snapshot: read them before adding one.
        names = try load(txn)
        if let code = names.codes[type] { return code }
        guard names.byCode.count < Self.maxCount else {
            throw LogError(
                .invalidArgument, "the store has \(Self.maxCount) event types; no code is left for '\(type)'")
        }
        names.add(type)
        let code = UInt16(names.byCode.count)
        let key = Self.keyPrefix + [UInt8(code >> 8), UInt8(code & 0xff)]
        try key.withUnsafeBytes { k in
            try Array(type.utf8).withUnsafeBytes { v in
                guard try txn.put(meta, k, v, noOverwrite: true) else {
                    throw LogError(.corrupt, "the store's table of event types is damaged", path: path)
                }
            }
        }
        return code
    }
}
