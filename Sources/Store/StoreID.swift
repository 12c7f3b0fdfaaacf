import CLMDB

/// A store's identity among a team's stores: 16 random bytes, made once per store and kept in the log's
/// `meta` table, so that every event has an origin (the store that first recorded it, and its seq there)
/// that stays the same wherever the event is pulled to.
public struct StoreID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let size = 16
    public let bytes: [UInt8]

    init(uncheckedBytes: [UInt8]) { bytes = uncheckedBytes }

    /// From 32 lowercase or uppercase hex digits; nil otherwise.
    public init?(hex: String) {
        guard let digest = Digest(hex: hex + String(repeating: "0", count: 32)), hex.utf8.count == 32 else {
            return nil
        }
        bytes = Array(digest.bytes[0..<Self.size])
    }

    /// From its 16 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.size else { return nil }
        self.bytes = bytes
    }

    /// A new random identity.
    static func random() -> StoreID {
        var generator = SystemRandomNumberGenerator()
        return StoreID(uncheckedBytes: (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public var hex: String { bytes.map { String($0, radix: 16).leftPadded(2) }.joined() }
    public var description: String { hex }

    public static func < (a: StoreID, b: StoreID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Where an event was first recorded: a store and the seq it had there.
public struct EventOrigin: Hashable, Sendable {
    public var store: StoreID
    public var seq: UInt64

    public init(store: StoreID, seq: UInt64) {
        self.store = store
        self.seq = seq
    }
}

extension EventLog {
    private static let storeIDKey = Array("store-id".utf8)

    /// This store's identity, or nil when it has none yet (a store made before format 7 that was only read since).
    public func storeID() throws -> StoreID? {
        try environment.read { txn in try storeID(txn) }
    }

    func storeID(_ txn: LMDBTransaction) throws -> StoreID? {
        try Self.storeIDKey.withUnsafeBytes { k in
            try txn.get(meta, k) { raw -> StoreID? in StoreID(bytes: Array(raw)) } ?? nil
        }
    }

    /// This store's identity, made now (in its own write transaction, so that two processes agree on one) when
    /// it has none: stores made by an older smithlog get theirs when first needed.
    public func ensureStoreID() throws -> StoreID {
        if let id = try storeID() { return id }
        return try environment.write { txn in
            if let id = try storeID(txn) { return id }
            let id = StoreID.random()
            try Self.storeIDKey.withUnsafeBytes { k in
                try id.bytes.withUnsafeBytes { v in _ = try txn.put(meta, k, v, noOverwrite: true) }
            }
            return id
        }
    }

    /// The origin of `event` as a team sees it: its own, or this store and its seq.
    public func origin(of event: RecordedEvent, thisStore: StoreID) -> EventOrigin {
        event.origin ?? EventOrigin(store: thisStore, seq: event.seq)
    }
}
