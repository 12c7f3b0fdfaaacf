#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who may write a store: its owner only, or every member of its folder's group (`smithlog init --shared`).
///
/// The store folder's own permissions say which, as git's `core.sharedRepository=group` does with its
/// configuration: a shared store's folder is group-writable with the setgid bit, so every file created in it
/// belongs to its group. Files and folders the store creates later get their mode from here whatever the
/// creating user's umask, so that one member's `ingest` never leaves a file the others cannot write.
public enum StoreSharing: Sendable, Equatable {
    /// Files `0644`, folders `0755` (less whatever the umask takes away).
    case owner
    /// Files `0664`, folders `02775`, set explicitly.
    case group

    /// The sharing of the store at `root`, read from its folder's mode; `.owner` when there is no folder yet.
    public static func of(root: String) -> StoreSharing {
        var info = stat()
        guard stat(root, &info) == 0 else { return .owner }
        let mode = info.st_mode
        return mode & S_ISGID != 0 && mode & S_IWGRP != 0 ? .group : .owner
    }

    /// The permission bits of a file the store creates.
    public var fileMode: UInt32 { self == .group ? 0o664 : 0o644 }

    /// The permission bits of a folder the store creates (with setgid when shared).
    public var folderMode: UInt32 { self == .group ? 0o2775 : 0o755 }

    /// Gives a file or folder the store created the mode this sharing asks for, when its owner is this user and
    /// it lacks one of those bits; the umask may have taken them away. Another member's files are left as they
    /// are (only their owner may change them), and a private store's files keep what the umask gave.
    package func adjust(_ path: String, folder: Bool = false) throws(LogError) {
        guard self == .group else { return }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid == geteuid() else { return }
        let wanted = mode_t(folder ? folderMode : fileMode)
        guard info.st_mode & 0o7777 & wanted != wanted else { return }
        guard chmod(path, (info.st_mode & 0o7777) | wanted) == 0 else {
            throw LogError(
                .badStore, "cannot make it group-writable for a shared store: \(String(cString: strerror(errno)))",
                path: path)
        }
    }

    /// Creates `path` empty with this sharing's mode if it does not exist; true when it made it.
    ///
    /// For files a library creates with a fixed mode of its own (SQLite: 0644): made first here, they keep
    /// the mode given, and SQLite gives its journal files the mode of the database file.
    @discardableResult
    package func createFileIfMissing(_ path: String) throws(LogError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(fileMode))
        if fd < 0 {
            if errno == EEXIST { return false }
            throw LogError(.badStore, "cannot create file: \(String(cString: strerror(errno)))", path: path)
        }
        close(fd)
        try adjust(path)
        return true
    }
}

/// Whether this process may write `path` (an existing file or folder), as the kernel would decide.
package func isWritable(_ path: String) -> Bool {
    access(path, W_OK) == 0
}

/// Whether `path` exists (as anything, a dangling symbolic link excepted).
package func fileExists(_ path: String) -> Bool {
    access(path, F_OK) == 0
}
