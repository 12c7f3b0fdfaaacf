/// An error from the store: what went wrong, with the path or value it concerns.
///
/// `description` is the one line the CLI prints; map `code` to an exit status only there.
public struct LogError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is; stable across releases so callers can branch on it.
    public enum Code: String, Sendable {
        /// The store path cannot be used (a file where a folder is expected, missing, unreadable).
        case badStore = "bad-store"
        /// The store has not been created yet (`smithlog init`).
        case notInitialized = "not-initialized"
        /// The data files are damaged or are not a smithlog store.
        case corrupt
        /// A sequence number, event id or blob hash that is not in the store.
        case notFound = "not-found"
        /// A caller passed something the store cannot accept (unknown blob reference, bad name).
        case invalidArgument = "invalid-argument"
        /// The disk or the map is full and could not grow.
        case full
        /// The store was written by an older smithlog and must be upgraded before anything is written to it,
        /// which needs the domain's event identities (``EventLog/Identifier``): open it through the domain layer.
        case needsUpgrade = "needs-upgrade"
        /// Any other failure reported by the storage engine or the operating system.
        case io
    }

    public var code: Code
    public var message: String
    /// The file, folder or value the error is about, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
