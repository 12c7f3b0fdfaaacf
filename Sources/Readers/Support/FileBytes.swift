#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file read into memory, with the errors a reader reports before looking at the content.
///
/// The buffer lives as long as this object; callers keep it alive (`withExtendedLifetime`) while they hold
/// `bytes`. Reading with `read(2)` rather than `mmap` means a file truncated under us cannot crash the process.
final class FileBytes: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer

    private init(path: String, bytes: UnsafeRawBufferPointer) {
        self.path = path
        self.bytes = bytes
    }

    deinit { bytes.deallocate() }

    /// Reads `path`; `allowEmpty` is for the rare formats where an empty file means "nothing" (none today).
    ///
    /// Refuses folders, FIFOs, sockets and devices (never opening them, see `RegularFile`) and files over
    /// `limit` bytes, also when the file grows past it while being read.
    static func read(
        _ path: String, allowEmpty: Bool = false, limit: Int = ReaderLimits.maximumJSONBytes
    ) throws(ReadError) -> FileBytes {
        let (fd, size) = try RegularFile.openForReader(path, limit: limit)
        defer { close(fd) }
        var capacity = size + 1
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if count == capacity {
                // The file grew since fstat: grow the buffer.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            guard let base = buffer.baseAddress else { break }  // never nil: capacity is at least 1
            let n = Glibc_read(fd, base + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                let text = errnoText(errno)
                buffer.deallocate()
                throw ReadError(path: path, message: "cannot read: " + text)
            }
            if n == 0 { break }
            count += n
            if count > limit {
                buffer.deallocate()
                throw ReadError(path: path, message: RegularFile.Refusal.tooLarge(size: count, limit: limit).message)
            }
        }
        // The view is shorter than the allocation; `deallocate` only needs the base address.
        let file = FileBytes(path: path, bytes: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
        if count == 0 && !allowEmpty {
            throw ReadError(path: path, message: "expected content, found an empty file")
        }
        return file
    }

    private static func errnoText(_ code: Int32) -> String {
        guard let c = strerror(code) else { return "error \(code)" }
        return String(cString: c)
    }
}

/// `read(2)`, named apart from `FileBytes.read` so the call inside it is unambiguous.
@inline(__always)
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
    #else
        return Darwin.read(fd, buffer, count)
    #endif
}
