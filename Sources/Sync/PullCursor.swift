/// Where a pull got to on one server: kept in the local log with the events it appended (see
/// `EventLog.appendPulled`), so that a pull killed at any moment resumes exactly.
///
/// `main` is the position `(tx, global_pos)` of the last event read in the server's order. `pending` lists the
/// transactions the pull read past while they were still in progress (see ``PullHorizon``): their events, if
/// they commit, sort before `main` and are fetched on their own, `(tx, global_pos)` naming how far each was read.
/// Stored as 16 bytes per position, `main` first: a cursor written before `pending` existed (16 bytes) reads as
/// one with none.
struct PullCursor: Equatable {
    struct Position: Equatable {
        var tx: UInt64
        var position: Int64
    }

    var main: Position
    var pending: [Position]

    static let start = PullCursor(main: Position(tx: 0, position: 0), pending: [])

    init(main: Position, pending: [Position]) {
        self.main = main
        self.pending = pending
    }

    /// The cursor stored as `bytes`; nil when it is not one (nothing stored: the pull starts from the beginning).
    init?(_ bytes: [UInt8]?) {
        guard let bytes, bytes.count >= 16, bytes.count % 16 == 0 else { return nil }
        func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        let positions = stride(from: 0, to: bytes.count, by: 16).map {
            Position(tx: word($0), position: Int64(bitPattern: word($0 + 8)))
        }
        main = positions[0]
        pending = Array(positions.dropFirst())
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * (1 + pending.count))
        for p in [main] + pending {
            withUnsafeBytes(of: p.tx.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt64(bitPattern: p.position).bigEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Records that the pull read past transaction `tx` while it was in progress: fetched on its own later.
    mutating func readPast(_ tx: UInt64) {
        guard !pending.contains(where: { $0.tx == tx }) else { return }
        pending.append(Position(tx: tx, position: 0))
        pending.sort { $0.tx < $1.tx }
    }
}
