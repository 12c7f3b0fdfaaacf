import Foundation

/// File-system facts the store reports; kept apart so the LMDB code stays free of Foundation.
enum FileManagerShim {
    static func size(of path: String) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        return (attrs[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Bytes free to unprivileged writers on the file system holding `path`; nil when unknown.
    static func freeBytes(at path: String) -> Int? {
        let attrs = try? FileManager.default.attributesOfFileSystem(forPath: path)
        return (attrs?[.systemFreeSize] as? NSNumber)?.intValue
    }

    /// A text file's contents, read to its end; nil when it cannot be read.
    ///
    /// Read to the end rather than to the size the file reports: a /proc file reports none, and
    /// `String(contentsOfFile:)` then stops after 4 KB, which cut /proc/self/maps short of the store's mapping.
    static func text(atPath path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
