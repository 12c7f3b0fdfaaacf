import Foundation

/// Where a store lives on disk: `--store PATH`, else `$SMITHLOG_STORE`, else `./.smithlog`.
///
/// Layout: `<root>/log/` is the LMDB environment (the only source of truth);
/// `<root>/projections.sqlite` is the disposable read side.
public struct StoreLocation: Sendable, Equatable {
    public var root: String

    public init(root: String) { self.root = root }

    /// Resolves the store folder from an explicit option, the environment, or the working directory.
    public static func resolve(explicit: String?, environment: [String: String]? = nil) -> StoreLocation {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let explicit, !explicit.isEmpty { return StoreLocation(root: explicit) }
        if let env = environment["SMITHLOG_STORE"], !env.isEmpty { return StoreLocation(root: env) }
        return StoreLocation(root: ".smithlog")
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
