import Foundation
public import SmithStore

/// Where this user keeps a store's projections: in the store, or in a private cache when the store is not
/// theirs to write.
///
/// The projections are disposable and rebuilt from the log, so a user who may read a store but not write
/// it keeps their own copy, `<cache>/smithlog/projections-<hash of the store's path>.sqlite`, under
/// `$XDG_CACHE_HOME`, else `~/.cache`, else the temporary folder. SQLite's WAL needs to create files beside
/// the database: the store's file is used only when its folder is writable too.
public struct ProjectionPlace: Sendable, Equatable {
    /// The projections file.
    public var path: String
    /// The mode files are created with: the store's sharing for the store's file, `.owner` for a private copy.
    public var sharing: StoreSharing
    /// Whether this is the store's own file rather than this user's private copy.
    public var inStore: Bool

    /// The place for `store` and this process's permissions; `environment` (default: this process's) gives
    /// the cache folders.
    public init(store: StoreLocation, environment: [String: String]? = nil) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let file = store.projectionsPath
        let companions = [file, file + "-wal", file + "-shm"].filter(fileExists)
        if isWritable(store.root) && companions.allSatisfy(isWritable) {
            self.init(path: file, sharing: store.sharing, inStore: true)
            return
        }
        let root = URL(fileURLWithPath: store.root).standardizedFileURL.resolvingSymlinksInPath().path
        let key = Digest.sha256(Array(root.utf8)).hex.prefix(16)
        self.init(
            path: Self.cacheFolder(environment) + "/projections-\(key).sqlite", sharing: .owner, inStore: false)
    }

    init(path: String, sharing: StoreSharing, inStore: Bool) {
        self.path = path
        self.sharing = sharing
        self.inStore = inStore
    }

    /// The first of `$XDG_CACHE_HOME/smithlog`, `~/.cache/smithlog`, `$TMPDIR/smithlog-<uid>` that exists or
    /// can be made (private to this user).
    private static func cacheFolder(_ environment: [String: String]) -> String {
        var candidates: [String] = []
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { candidates.append(xdg + "/smithlog") }
        if let home = environment["HOME"], home.hasPrefix("/") { candidates.append(home + "/.cache/smithlog") }
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        candidates.append(temporary + "smithlog-\(getuid())")
        for folder in candidates {
            if fileExists(folder) ? isWritable(folder) : make(folder) { return folder }
        }
        return candidates.last!
    }

    private static func make(_ folder: String) -> Bool {
        (try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
    }
}
