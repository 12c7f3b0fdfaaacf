import Foundation
import SmithProjections
import SmithStore

/// Brings the projections up to date on a thread of its own while a long write (a pull) is still appending,
/// so that the catch-up after it has only the last events left to apply.
///
/// A pull is bound by the CPU, and its catch-up, run after it on one core while the other had little to do,
/// was a tenth of its time. The thread opens an engine of its own (an engine is not thread-safe) on the
/// write's log, applies what has been committed each time it is told more has been (``eventsCommitted()``),
/// and reports no failure: the catch-up after the write, which ``finish()`` lets start, applies and reports
/// what remains. It runs at the write's priority: at a lower one (`SCHED_IDLE`) the write waited for locks it
/// held while it was not scheduled.
final class ProjectionFollower: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var more = false
    private var stopping = false
    private var skipped: [SkippedEvent] = []
    private let done = DispatchSemaphore(value: 0)

    /// Starts the thread; `finish()` must be called before the log is closed.
    init(_ options: StoreOptions, log: EventLog) {
        let location = options.location
        Thread.detachNewThread { [self] in
            follow(location, log)
            done.signal()
        }
    }

    /// The thread's work; its engine (and SQLite connection) is closed when it returns.
    private func follow(_ location: StoreLocation, _ log: EventLog) {
        guard let engine = try? ProjectionEngine(store: location) else { return }
        while waitForMore() {
            guard let report = try? engine.catchUp(log: log) else { return }
            condition.withLock { skipped += report.skipped }
        }
    }

    /// Events were committed: applies them once the catch-up running now (if any) ends.
    func eventsCommitted() {
        condition.withLock {
            more = true
            condition.signal()
        }
    }

    /// Stops the thread once its catch-up ends; the events it passed over (``CatchUpReport/skipped``).
    func finish() -> [SkippedEvent] {
        condition.withLock {
            stopping = true
            condition.signal()
        }
        done.wait()
        return condition.withLock { skipped }
    }

    /// Waits until events were committed (true) or the write ended (false).
    private func waitForMore() -> Bool {
        condition.withLock {
            while !more && !stopping { condition.wait() }
            defer { more = false }
            return !stopping
        }
    }
}
