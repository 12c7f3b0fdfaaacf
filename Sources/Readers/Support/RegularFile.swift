#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens files that must be regular files, without ever blocking on a FIFO or touching a device.
///
/// The type is checked with `stat` before `open` (opening a FIFO for reading waits for a writer; opening a
/// device can have effects), the file is then opened with `O_NONBLOCK` and checked again with `fstat`, so a
/// file swapped for a FIFO in between is refused too rather than read.
package enum RegularFile {
    /// What `mode` (a `st_mode`) is when it is neither a regular file nor a folder ("a FIFO", "a socket", ...);
    /// `nil` for regular files and folders.
    package static func specialKind(mode: UInt32) -> String? {
        switch mode & UInt32(S_IFMT) {
        case UInt32(S_IFREG), UInt32(S_IFDIR): return nil
        case UInt32(S_IFIFO): return "a FIFO"
        case UInt32(S_IFSOCK): return "a socket"
        case UInt32(S_IFCHR): return "a character device"
        case UInt32(S_IFBLK): return "a block device"
        default: return "a special file"
        }
    }

    /// `st_mode` of `path` (symbolic links followed), or the `errno` of the failed `stat`.
    package static func mode(_ path: String) -> Result<UInt32, Errno> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Errno(code: errno)) }
        return .success(UInt32(info.st_mode))
    }

    /// An `errno` value with its text.
    package struct Errno: Error, Sendable {
        package var code: Int32
        package var text: String {
            guard let c = strerror(code) else { return "error \(code)" }
            return String(cString: c)
        }
        package var isMissing: Bool { code == ENOENT }
    }

    /// Why a path could not be opened as a regular file.
    package enum Refusal: Error, Sendable {
        case system(Errno, opening: Bool)
        case folder
        case special(String)
        case tooLarge(size: Int, limit: Int)

        /// The message after `<path>: ` in a reader's error line.
        package var message: String {
            switch self {
            case .system(let e, let opening): return (opening ? "cannot open: " : "cannot stat: ") + e.text
            case .folder: return "expected a file, found a folder"
            case .special(let kind): return "expected a regular file, found \(kind)"
            case .tooLarge(let size, let limit): return "the file is \(size) bytes; at most \(limit) are read"
            }
        }
    }

    /// Opens `path` for reading: an open descriptor (the caller closes it, and may read it normally: reads of a
    /// regular file never block) and the file's size. Refuses folders, special files and files over `limit`.
    package static func open(_ path: String, limit: Int = .max) -> Result<(descriptor: Int32, size: Int), Refusal> {
        switch mode(path) {
        case .failure(let e): return .failure(.system(e, opening: true))
        case .success(let m):
            if m & UInt32(S_IFMT) == UInt32(S_IFDIR) { return .failure(.folder) }
            if let kind = specialKind(mode: m) { return .failure(.special(kind)) }
        }
        let fd = Glibc_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.system(Errno(code: errno), opening: true)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = Errno(code: errno)
            close(fd)
            return .failure(.system(e, opening: false))
        }
        let m = UInt32(info.st_mode)
        if m & UInt32(S_IFMT) == UInt32(S_IFDIR) {
            close(fd)
            return .failure(.folder)
        }
        if let kind = specialKind(mode: m) {
            close(fd)
            return .failure(.special(kind))
        }
        let size = max(Int(info.st_size), 0)
        if size > limit {
            close(fd)
            return .failure(.tooLarge(size: size, limit: limit))
        }
        return .success((fd, size))
    }

    /// `open`, with the refusal as a `ReadError` naming `path`.
    static func openForReader(_ path: String, limit: Int = .max) throws(ReadError) -> (descriptor: Int32, size: Int) {
        switch open(path, limit: limit) {
        case .success(let opened): return opened
        case .failure(let refusal): throw ReadError(path: path, message: refusal.message)
        }
    }
}

/// `open(2)`, named apart from `RegularFile.open`.
@inline(__always)
private func Glibc_open(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
        return Glibc.open(path, flags)
    #else
        return Darwin.open(path, flags)
    #endif
}
