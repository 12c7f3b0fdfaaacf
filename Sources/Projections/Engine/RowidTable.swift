/// Rowids by `KeyHash`: an open-addressing table for `KeyedUpsert`'s append mode.
///
/// The keys are already well-mixed 64-bit hashes, so a `Dictionary` would spend most of its time hashing
/// them again (SipHash) for every one of a million events; here a key's bits pick its slot directly.
///
/// A slot is 8 bytes: the hash's high 32 bits as a tag (which also picks the slot) and a 32-bit rowid (the table holds a key per row of a
/// large catch-up, so its size follows the store's: 16-byte slots took 8 MB for the two keyed tables of the team
/// workload at 1x). A lookup may then answer with the rowid of another key whose hash shares the tag (one lookup
/// in 4,000 in a table of a million keys); `KeyedUpsert` checks every hit against the stored row's key anyway (as for a full hash
/// collision), and stores a key that was answered wrongly by its exact bytes instead. So a key is only ever
/// stored here after a lookup of it found nothing, which never overwrites another key's slot.
struct RowidTable {
    /// Tag in the high 32 bits, rowid in the low ones; 0 marks an empty slot (tags are never 0, rowids start at 1).
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The high 32 bits of `hash`, never 0.
    private static func tag(_ hash: UInt64) -> UInt64 {
        let tag = hash >> 32
        return tag == 0 ? 1 : tag
    }

    subscript(hash: UInt64) -> Int64? {
        get {
            let tag = Self.tag(hash)
            var i = Int(truncatingIfNeeded: tag) & mask
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if slot >> 32 == tag { return Int64(slot & 0xFFFF_FFFF) }
                i = (i + 1) & mask
            }
        }
        set {
            guard let rowid = newValue else { preconditionFailure("RowidTable does not remove keys") }
            precondition(rowid > 0 && rowid <= Int64(UInt32.max), "RowidTable holds rowids from 1 to 2^32 - 1")
            if (count + 1) * 2 > slots.count { grow() }
            let tag = Self.tag(hash)
            var i = Int(truncatingIfNeeded: tag) & mask
            while slots[i] != 0 && slots[i] >> 32 != tag { i = (i + 1) & mask }
            if slots[i] == 0 { count += 1 }
            slots[i] = tag << 32 | UInt64(rowid)
        }
    }

    /// Doubles the table; each slot goes to the place its tag picks.
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot != 0 {
            var i = Int(truncatingIfNeeded: slot >> 32) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
