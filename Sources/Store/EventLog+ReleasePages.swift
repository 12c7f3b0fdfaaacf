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
    /// Records ``ScanPageRelease/step()`` counts between two releases when its caller names no interval.
    static let releaseInterval = 1 << 12
}

/// Counts what a long scan maps (events, index entries, blobs read in order, records looked up here and there)
/// and has the store pages this process maps released once they reach about ``budget`` bytes
/// (``LMDBEnvironment/noteMapped(_:limit:)``, which measures them), when the log's ``MemoryPolicy`` releases
/// pages.
///
/// Counted in the 64 KB windows the kernel maps, not in records: reading a page through the map maps the cached
/// pages around it too (fault-around), so a record maps the windows its bytes lie in. A scan of one table meets
/// its pages scattered among the other tables' (they were written together, a transaction at a time), so 4,096
/// small events read in order mapped 26 MB at a quarter of the team workload and 31 MB at the whole; a count
/// of records let what stays resident follow the layout and the records' sizes, and grow with the store.
struct ScanPageRelease {
    /// Bytes mapped between two releases: a few MB, so the pages a scan holds stay small next to the process's
    /// own (libraries, heap); a release costs an madvise and minor faults to map the B-trees' upper pages again.
    /// 8 MB: random-key reads and writes all over a large store (a pull's, an ingest's) reach a budget after a
    /// few dozen faults, each mapping the large folio of the page cache it hits, and every release is paid for
    /// in faults that map the trees' upper pages again.
    static let budget = 8 << 20

    /// The kernel's fault-around: reading one page of the map maps this much around it (the pages cached).
    static let window = 64 << 10

    /// What a lookup whose record is not at hand maps: a window (its leaf page; the upper pages of the tree are
    /// the same few for every lookup).
    static let lookupBytes = window

    /// Windows met lately: a lookup or a scan that comes back to one maps nothing more.
    private var recent: [Int] = Array(repeating: -1, count: 8)
    private var next = 0

    private let environment: LMDBEnvironment
    /// Bytes ``step()`` counts: a release every `interval` steps.
    private let stepBytes: Int
    /// Bytes mapped between two releases: ``budget`` unless the scan asked for less.
    private let limit: Int
    /// The environment's count of releases when ``recent`` was last valid: a release by another reader or a
    /// commit unmaps the windows this scan met too.
    private var releasesSeen: Int

    /// `interval`: the records ``step()`` counts between two releases (what ``touch(_:)`` and ``lookUp()``
    /// count goes by the windows they map). `budget`: bytes mapped between two releases.
    init(_ environment: LMDBEnvironment, every interval: Int = EventLog.releaseInterval, budget: Int = Self.budget) {
        self.environment = environment
        limit = budget
        stepBytes = budget / max(interval, 1)
        releasesSeen = environment.releases
    }

    /// One more record read, counted as a fixed share of the budget (see `init`).
    mutating func step() {
        add(stepBytes)
    }

    /// A record read from the map (by a scan or a lookup): the windows its bytes lie in, but those met lately.
    /// A record on overflow pages (larger than a leaf holds) was found through a leaf page elsewhere: a window
    /// more.
    mutating func touch(_ record: UnsafeRawBufferPointer) {
        guard let base = record.baseAddress else { return lookUp() }
        forgetRecentIfReleased()
        let first = Int(bitPattern: base) / Self.window
        let last = (Int(bitPattern: base) + max(record.count, 1) - 1) / Self.window
        var windows = last - first + (recent.contains(first) ? 0 : 1)
        if record.count > Self.leafRecord { windows += 1 }
        remember(first)
        if last != first { remember(last) }
        if windows > 0 { add(windows * Self.window) }
    }

    /// A record of which only the first bytes are read (a blob's header): the windows of those, and the leaf's
    /// when the record is on overflow pages.
    mutating func touchHead(_ record: UnsafeRawBufferPointer) {
        touch(UnsafeRawBufferPointer(rebasing: record.prefix(64)))
        if record.count > Self.leafRecord { lookUp() }
    }

    /// A lookup whose record is not at hand (or was not found): a window.
    mutating func lookUp() {
        add(Self.lookupBytes)
    }

    /// Releases now and starts counting again: after a part of the work whose pages nothing refers to any more.
    mutating func releaseNow() {
        environment.releaseMappedPagesIfPolicy()
        forgetRecentIfReleased()
    }

    /// Records larger than this are stored on overflow pages of their own (LMDB: above about half a 4 KB page).
    private static let leafRecord = 2 << 10

    private mutating func remember(_ window: Int) {
        guard !recent.contains(window) else { return }
        recent[next] = window
        next = (next + 1) % recent.count
    }

    private mutating func add(_ bytes: Int) {
        environment.noteMapped(bytes, limit: limit)
    }

    private mutating func forgetRecentIfReleased() {
        let releases = environment.releases
        guard releases != releasesSeen else { return }
        releasesSeen = releases
        for i in recent.indices { recent[i] = -1 }
    }
}
