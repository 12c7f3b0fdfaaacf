import Foundation

/// The small files the store keeps beside LMDB's (`log/head`, `log/damaged`): written whole or not at all.
///
/// The one place such files are created, with the mode of the store's ``StoreSharing``.
package enum StoreFiles {

    /// Replaces `path` with `bytes` atomically: written to a temporary file in the same folder, then renamed
    /// over it, so a reader sees the old contents or the new, never a part. Not flushed to the disk: see
    /// ``HeadFile`` for why that is enough.
    package static func replace(_ path: String, with bytes: [UInt8]) throws(LogError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // The folder's sharing decides the mode (a shared store's folders are shared too; see StoreSharing).
        let sharing = StoreSharing.of(root: (path as NSString).deletingLastPathComponent)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(sharing.fileMode))
        guard fd >= 0 else { throw failure("cannot create", temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = failure("cannot write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        close(fd)
        do {
            try sharing.adjust(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot rename into place", path)
            unlink(temporary)
            throw error
        }
    }

    /// The file's bytes; nil when it does not exist.
    package static func contents(_ path: String, limit: Int = 4096) throws(LogError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot open", path)
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        while count < limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, limit - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw failure("cannot read", path) }
            if n == 0 { break }
            count += n
        }
        return Array(bytes[..<count])
    }

    /// Removes `path`; true when it existed.
    @discardableResult
    package static func delete(_ path: String) throws(LogError) -> Bool {
        guard unlink(path) == 0 else {
            if errno == ENOENT { return false }
            throw failure("cannot remove", path)
        }
        return true
    }

    private static func failure(_ what: String, _ path: String) -> LogError {
        let code = errno
        return LogError(
            code == ENOSPC ? .full : code == EACCES || code == EROFS ? .badStore : .io,
            "\(what): \(String(cString: strerror(code)))", path: path)
    }
}
