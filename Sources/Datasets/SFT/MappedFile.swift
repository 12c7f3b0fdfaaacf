internal import SmithReaders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory mapping of a whole file, so a .traj is scanned in place without a copy.
enum MappedFile {
    /// Calls `body` with the file's bytes; the mapping ends when `body` returns.
    static func withBytes<R>(
        path: String, _ body: (UnsafeRawBufferPointer) throws(SFTError) -> R
    ) throws(SFTError) -> R {
        // Refuses FIFOs and devices without blocking on them.
        let fd: Int32
        let size: Int
        switch RegularFile.open(path) {
        case .success(let opened): (fd, size) = opened
        case .failure(let refusal): throw SFTError(.unreadable, at: path, refusal.message)
        }
        defer { close(fd) }
        // mmap refuses a zero length; an empty file is simply empty bytes.
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw unreadable(path)
        }
        defer { munmap(address, size) }
        return try body(UnsafeRawBufferPointer(start: address, count: size))
    }

    private static func unreadable(_ path: String) -> SFTError {
        SFTError(.unreadable, at: path, "cannot read the file (errno \(errno))")
    }
}
