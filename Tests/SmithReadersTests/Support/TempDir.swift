import Foundation

/// A fresh temporary folder for one test, removed when the value is released.
final class TempDir {
    let path: String

    init(_ label: String = "smithreaders") {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/relative`, creating the folders on the way.
    func file(_ relative: String) -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return full
    }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = file(relative)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    /// Copies a fixture (file or folder) to `relative` inside this folder, writable.
    @discardableResult
    func copy(fixture: String, to relative: String) -> String {
        let destination = file(relative)
        try? FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: destination)
        makeWritable(destination)
        return destination
    }

    private func makeWritable(_ path: String) {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let next = walker.nextObject() as? String {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/" + next)
            }
        }
    }
}

func readBytes(_ path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
}
