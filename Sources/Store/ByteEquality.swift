/// Byte equality of two buffers, a word at a time.
///
/// Not `==` on strings (canonical equivalence, which would mix up stream names) nor `elementsEqual` (a byte at
/// a time): the append path compares stream names for every event.
@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    var i = 0
    while i + 8 <= a.count {
        guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        else { return false }
        i += 8
    }
    while i < a.count {
        guard a[i] == b[i] else { return false }
        i += 1
    }
    return true
}
