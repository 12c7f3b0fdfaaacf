import Foundation

/// Prepares a batch's chunks on background threads while the write transaction consumes them in order.
///
/// Preparing (encoding and hashing) costs more CPU than writing, so with prepare-all-then-write one core
/// idled through each half. Here the writer starts on chunk 0 as soon as it is ready and the other cores
/// keep preparing the rest.
///
/// Chunks are claimed in order from a shared counter, by the helpers and by the writer itself: when the chunk
/// the writer needs next is still being prepared, it prepares the next unclaimed one rather than wait (with
/// every chunk handed to the global queue, the writer spent a sixth of an append waiting). Helpers are one
/// fewer than the cores, so that they and the writer fill the cores without time-slicing one of them.
final class ChunkPipeline: @unchecked Sendable {
    let count: Int
    /// Slot `k` is initialized by whoever claimed chunk `k`, and read only once `ready[k]` is set.
    private let slots: UnsafeMutablePointer<PreparedChunk>
    private let events: [NewEvent]
    private let prepare: @Sendable ([NewEvent], Range<Int>) -> PreparedChunk
    /// Guards `next` and `ready`; broadcast whenever a chunk becomes ready.
    private let condition = NSCondition()
    /// The first chunk nobody has claimed.
    private var next = 0
    private var ready: [Bool]

    /// Threads preparing chunks besides the writer.
    static let helperCount = max(1, System.coreCount - 1)

    /// Starts preparing `events` in chunks of about `chunkSize`; small batches are prepared right here.
    init(
        _ events: [NewEvent], chunkSize: Int,
        prepare: @escaping @Sendable ([NewEvent], Range<Int>) -> PreparedChunk
    ) {
        count = max(1, (events.count + chunkSize - 1) / chunkSize)
        slots = .allocate(capacity: count)
        self.events = events
        self.prepare = prepare
        ready = [Bool](repeating: false, count: count)
        if count == 1 {
            next = 1
            ready[0] = true
            slots.initialize(to: prepare(events, 0..<events.count))
            return
        }
        // Each helper holds `self` until no chunk is left to claim, so `deinit` finds every slot initialized.
        for _ in 0..<min(Self.helperCount, count) {
            HelperThreads.shared.run { [self] in
                while let k = claim() { finish(k) }
            }
        }
    }

    /// The next unclaimed chunk, now claimed by the caller; nil when every chunk is claimed.
    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Prepares chunk `k`, claimed by the caller, and marks it ready.
    private func finish(_ k: Int) {
        let total = events.count
        (slots + k).initialize(to: prepare(events, (total * k / count)..<(total * (k + 1) / count)))
        condition.lock()
        ready[k] = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` on chunk `k` once it is prepared; the chunk may be changed in place.
    func withChunk<R>(_ k: Int, _ body: (inout PreparedChunk) throws -> R) rethrows -> R {
        condition.lock()
        while !ready[k] {
            if next < count {
                // Chunk k is in a helper's hands: prepare a later one meanwhile, the writer needs it soon.
                let j = next
                next += 1
                condition.unlock()
                finish(j)
                condition.lock()
            } else {
                condition.wait()
            }
        }
        condition.unlock()
        return try body(&slots[k])
    }

    deinit {
        // Helpers have all returned (they hold `self`), and the writer claims only chunks it then prepares.
        for k in 0..<next { ArenaPool.shared.give(&slots[k].arena) }
        slots.deinitialize(count: next)
        slots.deallocate()
    }
}

/// Threads that prepare chunks beside the writer: started when no idle one is left, then kept.
///
/// Not the global dispatch queue: its threads run at the default priority whatever the caller's, so a
/// writer started with `nice` (or a benchmark run that way on a busy machine) found its helpers competing
/// with everything else.
final class HelperThreads: @unchecked Sendable {
    static let shared = HelperThreads()
    /// Guards `jobs` and `idle`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var idle = 0

    /// Runs `job` on a helper thread.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        jobs.append(job)
        if idle >= jobs.count {
            condition.broadcast()
        } else {
            Thread { [self] in work() }.start()
        }
    }

    private func work() {
        condition.lock()
        while true {
            while jobs.isEmpty {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
