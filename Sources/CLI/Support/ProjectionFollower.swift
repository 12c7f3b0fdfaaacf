import Foundation
import SmithProjections
import SmithStore

/// Brings the projections up to date on a thread of its own while a long write (a pull) is still appending,
/// so that the catch-up after it has only the last events left to apply.
///
/// A pull is bound by the CPU, and its catch-up, run after it on one core while the other had little to do,
/// was a tenth of its time. The thread starts when the first events are committed (a pull that appends
/// nothing, or fails first, leaves the projections alone), opens an engine of its own (an engine is not
/// thread-safe) on the write's log, applies what has been committed each time it is told more has been
/// (``eventsCommitted()``), and reports no failure: the catch-up after the write, which ``finish()`` lets
/// start, applies and reports what remains. It runs at the write's priority: at `SCHED_IDLE`, a pull run
/// beside a build took 28 s instead of 7, the write waiting on a thread that was not being scheduled.
final class ProjectionFollower: @unchecked Sendable {
    private let location: StoreLocation
    private let log: EventLog
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var started = false
    private var more = false
    private var stopping = false
    private var skipped: [SkippedEvent] = []
    private let done = DispatchSemaphore(value: 0)

    /// Ready to follow `log`; nothing runs until ``eventsCommitted()``. ``finish()`` must be called before the
    /// log is closed.
    init(_ options: StoreOptions, log: EventLog) {
        location = options.location
        self.log = log
    }

    /// Events were committed: applies them once the catch-up running now (if any) ends.
    func eventsCommitted() {
        condition.withLock {
            more = true
            condition.signal()
            guard !started else { return }
            started = true
            Thread.detachNewThread { [self] in
                follow()
                done.signal()
            }
        }
    }

    /// Stops the thread once its catch-up ends; the events it passed over (``CatchUpReport/skipped``).
    func finish() -> [SkippedEvent] {
        let running = condition.withLock {
            stopping = true
            condition.signal()
            return started
        }
        if running { done.wait() }
        return condition.withLock { skipped }
    }

    /// The thread's work; its engine (and SQLite connection) is closed when it returns.
    private func follow() {
        guard let engine = try? ProjectionEngine(store: location) else { return }
        while waitForMore() {
            guard let report = try? engine.catchUp(log: log) else { return }
            condition.withLock { skipped += report.skipped }
        }
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
