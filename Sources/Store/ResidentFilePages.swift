#if canImport(Glibc)
    import Glibc
#endif

/// How much of this process's resident set is pages of mapped files (the store's, the program's own code):
/// the `shared` field of `/proc/self/statm`, read with one `pread` on a descriptor kept open.
///
/// The store's readers estimate what they map; this is what they really hold, read now and then to decide
/// when to release (``LMDBEnvironment/noteMapped(_:limit:)``). Linux only; elsewhere ``bytes()`` is nil.
final class ResidentFilePages: Sendable {
    private let fd: Int32
    private let pageSize: Int

    init() {
        #if os(Linux)
            fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        #else
            fd = -1
        #endif
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Resident bytes of file-backed pages, or nil when they cannot be read.
    func bytes() -> Int? {
        guard fd >= 0 else { return nil }
        // "size resident shared text lib data dt", in pages: a few dozen bytes.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int? in
            let count = pread(fd, buffer.baseAddress, buffer.count, 0)
            guard count > 0 else { return nil }
            let fields = buffer[..<count].split(separator: UInt8(ascii: " "), maxSplits: 3)
            guard fields.count > 2, let pages = Int(String(decoding: fields[2], as: UTF8.self)) else { return nil }
            return pages * pageSize
        }
    }
}
