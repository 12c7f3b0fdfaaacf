#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only, for walking files too big to hold in memory (multi-gigabyte datasets).
///
/// The pages a walk has finished with can be handed back with `release(_:)`: they stay in the kernel's page
/// cache but leave this process's resident set, so a front-to-back walk keeps a bounded footprint whatever the
/// file's size. A released page may still be read (it is faulted back in from the file), so code that rescans
/// from the top to place an error stays correct. The mapping lives as long as this object; callers keep it
/// alive (`withExtendedLifetime`) while they hold `bytes`. Unlike `FileBytes`, a file truncated by another
/// process while mapped makes reads past its new end fault (SIGBUS): use it for files nobody is writing.
public final class MappedFileBytes: @unchecked Sendable {
    /// The file, as the caller named it.
    public let path: String
    /// The file's bytes (empty, with no base address, for an empty file).
    public let bytes: UnsafeRawBufferPointer

    /// Maps the file open as `descriptor` (the caller keeps and closes it; the mapping outlives it), `size` bytes
    /// long (from the caller's `fstat`). Throws when the kernel refuses the mapping.
    public init(descriptor: Int32, size: Int, path: String) throws(ReadError) {
        self.path = path
        // mmap refuses a zero length; an empty file is simply empty bytes.
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw ReadError(path: path, message: "cannot map the file: " + Self.errnoText(errno))
        }
        // Read-ahead in big steps: every walk over it goes front to back.
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Maps the file at `path`, with `FileBytes.read`'s errors for missing files, folders and special files.
    public convenience init(path: String) throws(ReadError) {
        let (fd, size) = try RegularFile.openForReader(path)
        defer { close(fd) }
        try self.init(descriptor: fd, size: size, path: path)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// Drops `range` from the resident set; the caller is also done with every byte before it.
    ///
    /// Only whole pages go: the start is rounded down (the bytes before it are finished too) and the end rounded
    /// down, so the page holding the next unread byte stays, except at the end of the file, where the last
    /// partial page goes as well. Releasing contiguous ranges in order therefore releases each page once.
    public func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress else { return }
        let page = Self.pageSize
        let start = max(range.lowerBound, 0) / page * page
        let end = range.upperBound >= bytes.count ? bytes.count : range.upperBound / page * page
        guard end > start else { return }
        // MADV_DONTNEED on a clean private file mapping just unmaps the pages: a later read sees the file again.
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    private static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    private static func errnoText(_ code: Int32) -> String {
        guard let c = strerror(code) else { return "error \(code)" }
        return String(cString: c)
    }
}
