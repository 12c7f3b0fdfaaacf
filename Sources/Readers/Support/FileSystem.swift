internal import Foundation

/// The little file-system walking the folder readers need, with their errors phrased as `ReadError`s.
enum FileSystem {
    enum Kind { case file, folder, missing }

    static func kind(_ path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .folder : .file
    }

    static func isFile(_ path: String) -> Bool { kind(path) == .file }
    static func isFolder(_ path: String) -> Bool { kind(path) == .folder }

    /// Names in `folder`, sorted by their UTF-8 bytes so results do not depend on the platform's listing order.
    /// Hidden entries (`.DS_Store`, `.git`) are left out.
    static func entries(_ folder: String) throws(ReadError) -> [String] {
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            return names.filter { !$0.hasPrefix(".") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw ReadError(path: folder, message: "cannot list folder: \(error.localizedDescription)")
        }
    }

    /// Checks that `path` is an existing folder with at least one visible entry, and returns those entries.
    static func requireNonEmptyFolder(_ path: String) throws(ReadError) -> [String] {
        switch kind(path) {
        case .missing: throw ReadError(path: path, message: "expected a folder, found nothing at this path")
        case .file: throw ReadError(path: path, message: "expected a folder, found a file")
        case .folder: break
        }
        let names = try entries(path)
        if names.isEmpty {
            throw ReadError(path: path, message: "expected a folder with content, found an empty folder")
        }
        return names
    }

    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The last path component (`a/b/c.traj` → `c.traj`), ignoring a trailing slash.
    static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }

    /// The folder holding `path` (`a/b/c.traj` → `a/b`); `.` for a bare name.
    static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}

extension FileSystem {
    /// `path` made absolute and tidied (`..` resolved), so its ancestors can be walked.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
