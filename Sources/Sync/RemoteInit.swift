/// `smithlog remote init`: creates the smithlog tables on a remote's server.
public enum RemoteInit {
    /// Creates the schema (see ``ServerSchema``) in one transaction; false when it was already there. A server
    /// holding another version of it is refused (`SyncError(.schema)`), as is one that cannot be reached.
    public static func run(_ remote: Remote) throws -> Bool {
        try Blocking.run {
            let c = try await ServerConnection.open(remote)
            do {
                let created = try await ServerSchema.create(c)
                await c.close()
                return created
            } catch {
                await c.abandon()
                throw error
            }
        }
    }

    /// The version of the server schema this smithlog reads and writes.
    public static var schemaVersion: Int { ServerSchema.version }
}
