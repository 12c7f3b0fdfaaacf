internal import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The little file-system walking the folder readers need, with their errors phrased as `ReadError`s.
enum FileSystem {
    /// What is at a path: `file` is a regular file; `special` a FIFO, socket or device, which no reader opens.
    enum Kind: Equatable { case file, folder, special, missing }

    /// The kind of `path`, from `stat` (symbolic links followed; a broken link or a loop is `missing`).
    static func kind(_ path: String) -> Kind {
        guard case .success(let mode) = RegularFile.mode(path) else { return .missing }
        if mode & UInt32(S_IFMT) == UInt32(S_IFDIR) { return .folder }
        return RegularFile.specialKind(mode: mode) == nil ? .file : .special
    }

    static func isFile(_ path: String) -> Bool { kind(path) == .file }
    static func isFolder(_ path: String) -> Bool { kind(path) == .folder }

    /// A regular file or a special one: what a folder reader lists where it expects a file, so that a FIFO
    /// named like a trajectory is reported (the read refuses it) and counted, not silently left out.
    static func isFileOrSpecial(_ path: String) -> Bool {
        let k = kind(path)
        return k == .file || k == .special
    }

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

    /// Names in `folder` in the order the file system lists them (`readdir`, as Python's `os.listdir` and
    /// `Path.iterdir` see them): that order depends on the file system (hashed on ext4, sorted on APFS) and
    /// is what SWE-smith's `transform_to_ft` wrote its lines in. Hidden entries are kept; `.` and `..` are not.
    static func listingOrder(_ folder: String) throws(ReadError) -> [String] {
        guard let dir = opendir(folder) else {
            throw ReadError(path: folder, message: "cannot list folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Checks that `path` is an existing folder with at least one visible entry, and returns those entries.
    static func requireNonEmptyFolder(_ path: String) throws(ReadError) -> [String] {
        switch kind(path) {
        case .missing: throw ReadError(path: path, message: "expected a folder, found nothing at this path")
        case .file: throw ReadError(path: path, message: "expected a folder, found a file")
        case .special: throw ReadError(path: path, message: "expected a folder, found a special file")
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
