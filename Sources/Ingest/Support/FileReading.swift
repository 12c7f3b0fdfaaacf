import Foundation
import SmithReaders
import SmithStore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads whole files for ingest, turning failures into one clear line.
enum FileReading {
    /// The file's bytes, read straight into one array (no intermediate `Data` copy: dataset files run to
    /// gigabytes, and a second copy would double an import's peak memory).
    static func bytes(_ path: String) throws -> [UInt8] {
        let (fd, size) = try openFile(path)
        defer { close(fd) }
        // Sized from fstat; a file that grows meanwhile is read on in 64 KB steps, one that shrinks is cut.
        var out = [UInt8](repeating: 0, count: size)
        var filled = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            if filled < out.count {
                n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            } else {
                n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n > 0 { out.append(contentsOf: chunk[..<n]) }
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw error(path, errno) }
            if n == 0 { break }
            filled += n
        }
        out.removeSubrange(filled...)
        return out
    }

    /// SHA-256 of the file's bytes, read through one 256 KB buffer: training data files and safetensors shards
    /// run to gigabytes. (`FileHandle.readData(ofLength:)` made a new buffer of the length asked for each read,
    /// so hashing a 20 MB SFT set held 4 MB that a 2 MB one did not.)
    static func sha256(_ path: String) throws -> Digest {
        let (fd, _) = try openFile(path)
        defer { close(fd) }
        var hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw error(path, errno) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        return hasher.finalize()
    }

    /// The file mapped read-only, for walking files too big to read whole (dataset imports); the errors are
    /// `bytes`'s. The mapping's `release` keeps a front-to-back walk's memory flat.
    static func mapped(_ path: String) throws -> MappedFileBytes {
        let (fd, size) = try openFile(path)
        defer { close(fd) }
        return try MappedFileBytes(descriptor: fd, size: size, path: path)
    }

    /// An open descriptor (the caller closes it) and the size of the regular file at `path`.
    ///
    /// Folders, FIFOs, sockets and devices are refused without being opened (a FIFO would block the ingest
    /// waiting for a writer), so a folder walk can skip them with a count like any other bad file.
    static func open(_ path: String) throws -> (Int32, Int) { try openFile(path) }

    private static func openFile(_ path: String) throws -> (Int32, Int) {
        switch RegularFile.open(path) {
        case .success(let opened): return opened
        case .failure(.folder): throw IngestError("\(path): cannot read a folder as a file")
        case .failure(.system(let e, _)): throw error(path, e.code)
        case .failure(let refusal): throw IngestError("\(path): \(refusal.message)")
        }
    }

    private static func error(_ path: String, _ code: Int32) -> IngestError {
        switch code {
        case ENOENT: return IngestError("\(path): no such file")
        case EISDIR: return IngestError("\(path): cannot read a folder as a file")
        default: return IngestError("\(path): cannot read the file: \(String(cString: strerror(code)))")
        }
    }

    /// Whether `path` is a regular file (following symbolic links).
    static func isRegularFile(_ path: String) -> Bool {
        guard case .success(let mode) = RegularFile.mode(path) else { return false }
        return mode & UInt32(S_IFMT) == UInt32(S_IFREG)
    }

    /// The file's size in bytes; nil when it cannot be examined.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func baseName(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return (p as NSString).lastPathComponent
    }
}
