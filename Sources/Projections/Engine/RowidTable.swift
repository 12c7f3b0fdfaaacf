/// Rowids by `KeyHash`: an open-addressing table for `KeyedUpsert`'s append mode.
///
/// The keys are already well-mixed 64-bit hashes, so a `Dictionary` would spend most of its time hashing
/// them again (SipHash) for every one of a million events; here a key's low bits pick its slot directly.
struct RowidTable {
    /// (hash, rowid) side by side: a lookup in a table of a million keys costs one cache miss, not two.
    private var slots: [(hash: UInt64, rowid: Int64)]
    private var mask: Int
    private(set) var count = 0
    /// Hash 0 marks an empty slot, so a key that hashes to 0 is kept aside.
    private var zeroRowid: Int64?

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: (0, 0), count: size)
        mask = size - 1
    }

    subscript(hash: UInt64) -> Int64? {
        get {
            if hash == 0 { return zeroRowid }
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot.hash == hash { return slot.rowid }
                if slot.hash == 0 { return nil }
                i = (i + 1) & mask
            }
        }
        set {
            guard let rowid = newValue else { preconditionFailure("RowidTable does not remove keys") }
            if hash == 0 {
                if zeroRowid == nil { count += 1 }
                zeroRowid = rowid
                return
            }
            if (count + 1) * 2 > slots.count { grow() }
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i].hash != 0 && slots[i].hash != hash { i = (i + 1) & mask }
            if slots[i].hash == 0 { count += 1 }
            slots[i] = (hash, rowid)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (0, 0), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.hash != 0 {
            var i = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[i].hash != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
