/// Why a `remote`, `push` or `pull` failed; one line, naming the remote and what to do.
public struct SyncError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// No such remote in the store's configuration (the CLI exits 3).
        case notFound = "not-found"
        /// A remote's name or address is not valid.
        case invalid
        /// The server cannot be reached, refused the login, or failed mid-way.
        case unreachable
        /// The server has no smithlog schema, or one this smithlog does not know.
        case schema
        /// A name was claimed on the server by another store for different content.
        case nameConflict = "name-conflict"
        /// A row on the server does not match its hash (event or blob).
        case damagedRemote = "damaged-remote"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
