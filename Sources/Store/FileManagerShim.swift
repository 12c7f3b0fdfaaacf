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

    /// A small text file's contents (a /proc file, say); nil when it cannot be read.
    static func text(atPath path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
