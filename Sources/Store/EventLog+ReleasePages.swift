/// Letting a long read drop the store pages it has mapped.
extension EventLog {
    /// Unmaps from this process the store pages it has read so far, when the log's ``MemoryPolicy`` releases
    /// pages (else nothing); they stay in the page cache.
    ///
    /// For callers reading many blobs one after another (an SFT export reads every line's trajectory): each
    /// blob read maps its pages, and without a release they all stay in the resident set until the process ends.
    public func releaseMappedPages() {
        environment.releaseMappedPagesIfPolicy()
    }
}

extension EventLog {
    /// Records a long scan reads between two releases of the pages it has mapped. Small enough that a scan's
    /// resident pages stay a few MB whatever the store's size (a release costs a read of /proc/self/maps and
    /// an madvise: ~250 of them per million records).
    static let releaseInterval = 1 << 12
}

/// Counts the records a long scan reads (events, index entries, blobs) and releases the store pages it has
/// mapped every ``EventLog/releaseInterval`` of them, when the log's ``MemoryPolicy`` releases pages.
struct ScanPageRelease {
    /// Blobs read between two releases: reading a blob stored on overflow pages maps up to 64 KB around it
    /// (the kernel's fault-around), so a scan of blobs releases far more often than a scan of events.
    static let blobInterval = 1 << 8

    /// Events fetched through an index (a stream's, a type's) between two releases: they are scattered over the
    /// log, so each fetch may map 64 KB around its page, and a run's stream read whole (its thousands of
    /// trajectories, by `sft build` or a growing ingest) otherwise kept tens of MB mapped to the end of the read.
    static let indexedInterval = 1 << 7

    private let environment: LMDBEnvironment
    private let interval: Int
    private var read = 0

    init(_ environment: LMDBEnvironment, every interval: Int = EventLog.releaseInterval) {
        self.environment = environment
        self.interval = interval
    }

    /// One more record read.
    mutating func step() {
        read += 1
        if read % interval == 0 { environment.releaseMappedPagesIfPolicy() }
    }
}
