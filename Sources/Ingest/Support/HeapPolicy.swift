import CMalloc
import Foundation

/// How a smithlog process treats the C heap: chosen once, at startup, by the program (the CLI picks
/// `.commandLine`; libraries, tests and benchmarks keep `.untouched` unless they install another).
///
/// Nothing else in smithlog calls the allocator's tuning: the batcher asks `trimAfterCommit` here. On C libraries
/// other than glibc the calls do nothing.
public struct HeapPolicy: Sendable, Equatable {
    /// Buffers of at least this many bytes are mapped and unmapped on free (glibc `M_MMAP_THRESHOLD`); nil
    /// keeps the allocator's default.
    public var mmapThreshold: Int?
    /// At most this many malloc arenas (glibc `M_ARENA_MAX`); nil keeps the default (8 per core).
    public var maxArenas: Int?
    /// Hand free heap memory back to the system after each ingest transaction commits (glibc `malloc_trim`).
    public var trimAfterCommit: Bool

    public init(mmapThreshold: Int?, maxArenas: Int?, trimAfterCommit: Bool) {
        self.mmapThreshold = mmapThreshold
        self.maxArenas = maxArenas
        self.trimAfterCommit = trimAfterCommit
    }

    /// The allocator as the C library sets it up.
    public static let untouched = HeapPolicy(mmapThreshold: nil, maxArenas: nil, trimAfterCommit: false)

    /// What the `smithlog` command runs with. Buffers of 1 MB and more (whole .traj files, dataset windows,
    /// compression outputs) are mapped and returned on free: glibc otherwise raises that threshold as big
    /// buffers are freed and serves later ones from its heaps, which then stay fragmented (an ingest's heap
    /// drifted 29 → 43 MB from 200 to 800 trajectories; 18 → 25 MB with this). Two arenas for two cores:
    /// glibc's default gives each worker thread a heap of its own, each keeping its own free memory. A trim
    /// after each commit: without it the heap's high-water mark crept up with the number of transactions
    /// (4x the trajectories, +3 MB of RSS while the peak in use stayed the same; heaptrack 33.3 / 33.4 MB).
    public static let commandLine = HeapPolicy(mmapThreshold: 1 << 20, maxArenas: 2, trimAfterCommit: true)

    /// Applies `policy` to this process and makes it the one ingests follow. Call once, before other threads
    /// allocate; a refusal by the allocator only costs memory, so it is not reported.
    public static func install(_ policy: HeapPolicy) {
        if let bytes = policy.mmapThreshold { _ = smith_malloc_set_mmap_threshold(Int32(clamping: bytes)) }
        if let arenas = policy.maxArenas { _ = smith_malloc_set_arena_max(Int32(clamping: arenas)) }
        installed.set(policy)
    }

    /// The policy installed, `.untouched` until one is.
    public static var current: HeapPolicy { installed.get() }

    /// Called by the batcher (and `push`) after each commit: trims the heap when the installed policy says so.
    package static func afterCommit() {
        if installed.get().trimAfterCommit { smith_malloc_trim() }
    }

    private static let installed = Installed()

    /// The installed policy behind a lock: written once at startup, read after every commit.
    private final class Installed: @unchecked Sendable {
        private let lock = NSLock()
        private var policy = HeapPolicy.untouched

        func get() -> HeapPolicy { lock.withLock { policy } }
        func set(_ p: HeapPolicy) { lock.withLock { policy = p } }
    }
}
