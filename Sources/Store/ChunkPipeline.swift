import Dispatch

/// Prepares a batch's chunks on background threads while the write transaction consumes them in order.
///
/// Preparing (encoding and hashing) costs more CPU than writing, so with prepare-all-then-write one core
/// idled through each half. Here the writer starts on chunk 0 as soon as it is ready and the other cores
/// keep preparing the rest.
final class ChunkPipeline: @unchecked Sendable {
    let count: Int
    /// Slot `k` is initialized by chunk `k`'s task and read only after `done[k]` says it finished.
    private let slots: UnsafeMutablePointer<PreparedChunk>
    private let done: [DispatchGroup]

    /// Starts preparing `events` in chunks of about `chunkSize`; small batches are prepared right here.
    init(
        _ events: [NewEvent], chunkSize: Int,
        prepare: @escaping @Sendable ([NewEvent], Range<Int>) -> PreparedChunk
    ) {
        count = max(1, (events.count + chunkSize - 1) / chunkSize)
        slots = .allocate(capacity: count)
        done = (0..<count).map { _ in DispatchGroup() }
        if count == 1 {
            (slots).initialize(to: prepare(events, 0..<events.count))
            return
        }
        let total = events.count
        for k in 0..<count {
            let range = (total * k / count)..<(total * (k + 1) / count)
            done[k].enter()
            // The global queue starts tasks in submission order, so chunk 0 is ready first.
            DispatchQueue.global().async { [self] in
                (slots + k).initialize(to: prepare(events, range))
                done[k].leave()
            }
        }
    }

    /// Runs `body` on chunk `k` once it is prepared; the chunk may be changed in place.
    func withChunk<R>(_ k: Int, _ body: (inout PreparedChunk) throws -> R) rethrows -> R {
        done[k].wait()
        return try body(&slots[k])
    }

    deinit {
        // Tasks hold `self`, so by now every one has finished and initialized its slot.
        for k in 0..<count { ArenaPool.shared.give(&slots[k].arena) }
        slots.deinitialize(count: count)
        slots.deallocate()
    }
}
