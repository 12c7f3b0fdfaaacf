/// How a log treats the store's pages it has mapped into this process: chosen once, by whoever opens it.
public struct MemoryPolicy: Sendable, Equatable {
    /// Whether reads, appends and scans unmap the store's pages from this process as they go (see
    /// `LMDBEnvironment.releaseMappedPages`): resident memory then stays flat however large the store grows,
    /// for an `madvise` per release, a read of `/proc/self/statm` now and then (how many pages are held), and
    /// minor faults to map pages back. Linux only; elsewhere it releases nothing.
    public var releasesMappedPages: Bool

    public init(releasesMappedPages: Bool) {
        self.releasesMappedPages = releasesMappedPages
    }

    /// Leaves mapped pages alone: they are clean page-cache pages the kernel reclaims under memory pressure,
    /// but until then they count in the process's resident set.
    public static let `default` = MemoryPolicy(releasesMappedPages: false)

    /// Releases mapped pages during long scans and after a transaction once a budget of them is held: for
    /// long ingests into a large store, whose resident memory would otherwise grow with the store rather than
    /// with what they hold.
    public static let flatMemory = MemoryPolicy(releasesMappedPages: true)
}
