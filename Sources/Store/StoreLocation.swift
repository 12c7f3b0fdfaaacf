import Foundation

/// Where a store lives on disk: `--store PATH`, else `$SMITHLOG_STORE`, else the nearest `.smithlog` folder in
/// the working directory or one of its parents (as git finds `.git`), else `./.smithlog`.
///
/// Layout: `<root>/log/` is the LMDB environment (the only source of truth);
/// `<root>/projections.sqlite` is the disposable read side.
public struct StoreLocation: Sendable, Equatable {
    public var root: String

    /// The folder name a store has when no path is given.
    public static let defaultFolderName = ".smithlog"

    public init(root: String) { self.root = root }

    /// Resolves the store folder from an explicit option, the environment, or the working directory.
    ///
    /// `discover`: look for `.smithlog` in the working directory and then in each parent, as git looks for
    /// `.git`; without it (`init`, which creates the store where it is asked), the default is `./.smithlog`.
    /// `directory` is where the search starts (default: the working directory).
    public static func resolve(
        explicit: String?, environment: [String: String]? = nil, discover: Bool = true, from directory: String? = nil
    ) -> StoreLocation {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let explicit, !explicit.isEmpty { return StoreLocation(root: explicit) }
        if let env = environment["SMITHLOG_STORE"], !env.isEmpty { return StoreLocation(root: env) }
        if discover, let found = nearest(from: directory ?? FileManager.default.currentDirectoryPath) {
            // The working directory's own store keeps its relative path, so messages read as they always did.
            return directory == nil && found.parents == 0 ? StoreLocation(root: defaultFolderName) : found.location
        }
        return StoreLocation(root: defaultFolderName)
    }

    /// The nearest folder named `.smithlog` in `directory` or one of its parents (its absolute path, and how many
    /// folders up it was found), nil when there is none.
    public static func nearest(from directory: String) -> (location: StoreLocation, parents: Int)? {
        var folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        var parents = 0
        while true {
            let candidate = (folder == "/" ? "" : folder) + "/" + defaultFolderName
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), isDir.boolValue {
                return (StoreLocation(root: candidate), parents)
            }
            guard folder != "/", !folder.isEmpty else { return nil }
            folder = (folder as NSString).deletingLastPathComponent
            parents += 1
        }
    }

    public var logPath: String { root + "/log" }
    public var projectionsPath: String { root + "/projections.sqlite" }

    /// Who may write the store, read from its folder's mode (see ``StoreSharing``).
    public var sharing: StoreSharing { StoreSharing.of(root: root) }

    /// Creates the folders; fails with one clear line if something else is in the way.
    ///
    /// `shared`: make the store group-writable (``StoreSharing/group``), also when it exists already. Without
    /// it an existing store keeps its sharing.
    public func create(shared: Bool = false) throws(LogError) {
        try ensureDirectory(root)
        if shared { try StoreSharing.group.adjust(root, folder: true) }
        let sharing = self.sharing
        try ensureDirectory(logPath)
        try sharing.adjust(logPath, folder: true)
    }

    /// Checks that the store exists and is a folder we can use, without creating anything.
    public func checkExists() throws(LogError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw LogError(.notInitialized, "no smithlog store here; run `smithlog init` first", path: root)
        }
        guard isDir.boolValue else { throw LogError(.badStore, "is a file, not a store folder", path: root) }
        guard FileManager.default.fileExists(atPath: logPath + "/data.mdb") else {
            throw LogError(.notInitialized, "not a smithlog store (no log/data.mdb); run `smithlog init`", path: root)
        }
        guard FileManager.default.isReadableFile(atPath: logPath + "/data.mdb") else {
            throw LogError(.badStore, "cannot read the event log (permission denied)", path: logPath + "/data.mdb")
        }
    }

    private func ensureDirectory(_ path: String) throws(LogError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw LogError(.badStore, "is a file, not a store folder", path: path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LogError(.badStore, "cannot create folder: \((error as NSError).localizedDescription)", path: path)
        }
    }
}
