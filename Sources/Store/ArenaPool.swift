import Foundation

/// Chunk buffers kept from one append for the next.
///
/// A fresh buffer costs a page fault per 4 KB the first time it is written, and a batch of 10,000 events
/// fills about 3 MB: reusing the last batch's buffers saved that on every append.
final class ArenaPool: @unchecked Sendable {
    static let shared = ArenaPool()
    /// Enough for a batch of about 16,000 events; more are freed.
    private static let limit = 16

    private let lock = NSLock()
    private var buffers: [[UInt8]] = []

    /// An empty buffer with room for at least `capacity` bytes.
    func take(capacity: Int) -> [UInt8] {
        lock.lock()
        var buffer = buffers.popLast() ?? []
        lock.unlock()
        buffer.reserveCapacity(capacity)
        return buffer
    }

    /// Keeps `buffer` (emptied) for a later ``take(capacity:)``.
    func give(_ buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        lock.lock()
        defer { lock.unlock() }
        if buffers.count < Self.limit { buffers.append(buffer) }
        buffer = []
    }
}
