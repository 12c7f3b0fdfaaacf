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
