import Foundation
import SmithDomain
import SmithStore

/// Reads the log on a second thread, handing events (decoded as their Domain types) to the caller in chunks.
///
/// A catch-up spends about as long reading and decoding events as SQLite spends storing them; on two
/// cores the two halves overlap. The reader runs ahead by at most a few chunks, stops when the caller
/// does, and has finished before `run` returns, so no read transaction outlives it.
enum EventPipe {
    struct Item: Sendable {
        let event: RecordedEvent
        /// The projection that consumes the event, found here so the writing thread need not hash its type.
        let route: EventReplay.Route?
        /// The decoded event, or why it could not be read; nil for types no projection consumes.
        let decoded: Result<ProjectedEvent, EventDecodingError>?
    }

    static let chunkSize = 1024
    /// Chunks the reader may run ahead. Two cores keep two or three busy; each chunk holds a thousand decoded
    /// events (~2 MB), and 8 made a pull's catch-up peak above the pull's own, with no faster rebuild.
    static let maxQueuedChunks = 4

    /// Calls `body` for each event from seq `from` in order, until it returns false or the log ends.
    static func run(
        log: EventLog, from: UInt64, prepare: @escaping @Sendable (RecordedEvent) -> Item,
        _ body: (Item) throws -> Bool
    ) throws {
        let queue = Queue()
        let thread = Thread {
            do {
                var chunk: [Item] = []
                chunk.reserveCapacity(chunkSize)
                try log.forEach(from: from) { event in
                    chunk.append(prepare(event))
                    guard chunk.count == chunkSize else { return true }
                    defer { chunk.removeAll(keepingCapacity: true) }
                    return queue.put(chunk)
                }
                if !chunk.isEmpty { _ = queue.put(chunk) }
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
        }
        thread.stackSize = 4 << 20
        thread.start()
        defer {
            queue.cancel()
            queue.waitUntilDone()
        }
        while let chunk = try queue.take() {
            // By index: `for item in chunk` copies each item, retaining every string of its decoded event.
            for i in chunk.indices where try !body(chunk[i]) { return }
            queue.recycle(chunk)
        }
    }

    /// A bounded FIFO of chunks between the reading thread and the caller.
    private final class Queue: @unchecked Sendable {
        private let condition = NSCondition()
        private var chunks: [[Item]] = []
        /// Chunks the caller has applied, waiting to be freed by the reading thread.
        private var spent: [[Item]] = []
        private var head = 0
        private var finished = false
        private var failure: (any Error)?
        private var cancelled = false
        private var done = false

        /// Queues a chunk, waiting while the queue is full; false when the caller stopped reading.
        ///
        /// Also frees the chunks the caller has finished with, here on the reading thread: a chunk holds a
        /// thousand events and their decoded values, and freeing them is work the writing thread (the
        /// busier one) need not do.
        func put(_ chunk: [Item]) -> Bool {
            var garbage: [[Item]] = []
            let accepted = locked { () -> Bool in
                swap(&garbage, &spent)
                while chunks.count - head >= EventPipe.maxQueuedChunks && !cancelled { condition.wait() }
                if cancelled { return false }
                chunks.append(chunk)
                condition.broadcast()
                return true
            }
            garbage.removeAll()
            return accepted
        }

        /// Hands back a chunk the caller has applied, for the reading thread to free.
        func recycle(_ chunk: [Item]) {
            locked { spent.append(chunk) }
        }

        private func locked<T>(_ body: () -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            return body()
        }

        /// The reader is done (with the error that stopped it, if any).
        func finish(_ error: (any Error)?) {
            condition.lock()
            finished = true
            failure = error
            done = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next chunk; nil at the end of the log; throws what stopped the reader.
        func take() throws -> [Item]? {
            condition.lock()
            defer { condition.unlock() }
            while head == chunks.count && !finished { condition.wait() }
            if head < chunks.count {
                let chunk = chunks[head]
                chunks[head] = []  // the caller holds the only reference, so `recycle` hands over the last one
                head += 1
                if head > 64 {
                    chunks.removeFirst(head)
                    head = 0
                }
                condition.broadcast()
                return chunk
            }
            if let failure { throw failure }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilDone() {
            condition.lock()
            while !done { condition.wait() }
            condition.unlock()
        }
    }
}
