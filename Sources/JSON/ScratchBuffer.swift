/// A growable byte buffer that a reader reuses to unescape strings without allocating for each one.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 256)
        pointer = .allocate(capacity: self.capacity)
    }

    /// Makes room for at least `needed` bytes, keeping the first `used`; returns the (possibly new) pointer.
    func reserve(_ needed: Int, keeping used: Int) -> UnsafeMutablePointer<UInt8> {
        guard needed > capacity else { return pointer }
        let newCapacity = max(needed, capacity * 2)
        let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newPointer.initialize(from: pointer, count: used)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
        return newPointer
    }

    deinit { pointer.deallocate() }
}
