import Foundation
import PostgresNIO

/// One connection to a remote's server, opened for one command and closed after it.
struct ServerConnection {
    let connection: PostgresConnection
    let remote: Remote
    let logger: Logger

    /// Connects to `remote` (password from `PGPASSWORD` or `~/.pgpass`, TLS as its `sslmode` says); an error
    /// naming the remote and the server's reason when it cannot.
    static func open(_ remote: Remote) async throws -> ServerConnection {
        var logger = Logger(label: "smithlog.sync")
        logger.logLevel = .critical
        let a = remote.address
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch a.sslMode {
            case "disable": tls = .disable
            case "verify-full": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default:
                // As libpq's `prefer` and `require`: encrypted, the certificate not checked.
                var config = TLSConfiguration.makeClientConfiguration()
                config.certificateVerification = .none
                let context = try NIOSSLContext(configuration: config)
                tls = a.sslMode == "require" ? .require(context) : .prefer(context)
            }
        } catch {
            throw SyncError(.unreachable, "remote '\(remote.name)': cannot set up TLS: \(error)")
        }
        let configuration = PostgresConnection.Configuration(
            host: a.host, port: a.port, username: a.user, password: a.password(), database: a.database, tls: tls)
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: logger)
            return ServerConnection(connection: connection, remote: remote, logger: logger)
        } catch {
            throw SyncError(
                .unreachable, "remote '\(remote.name)' (\(a.text)) cannot be reached: \(Self.describe(error))")
        }
    }

    func close() async {
        try? await connection.close()
    }

    /// Closes the connection after a failure: at once when the server already dropped it.
    func abandon() async {
        if !connection.isClosed { try? await connection.close() }
    }

    /// Runs `query`; any server error becomes a ``SyncError`` naming the remote and `what` was being done.
    @discardableResult
    func run(_ query: PostgresQuery, _ what: String) async throws -> PostgresRowSequence {
        try checkOpen(what)
        do {
            return try await connection.query(query, logger: logger)
        } catch {
            throw failure(error, what)
        }
    }

    /// All rows of `query`, collected.
    func rows(_ query: PostgresQuery, _ what: String) async throws -> [PostgresRow] {
        try checkOpen(what)
        do {
            return try await connection.query(query, logger: logger).collect()
        } catch {
            throw failure(error, what)
        }
    }

    /// A query sent on a connection the server already closed was seen to wait forever: refused here.
    private func checkOpen(_ what: String) throws {
        guard !connection.isClosed else {
            throw SyncError(.unreachable, "remote '\(remote.name)': \(what) failed: the server closed the connection")
        }
    }

    func failure(_ error: any Error, _ what: String) -> SyncError {
        if let e = error as? SyncError { return e }
        return SyncError(.unreachable, "remote '\(remote.name)': \(what) failed: \(Self.describe(error))")
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws (its error comes out).
    func transaction<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        try await run("BEGIN", what)
        do {
            let value = try await body()
            try await run("COMMIT", what)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// One line for an error of postgres-nio, whose own description hides the server's words.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] {
                let state = e.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = e.underlying { return describe(underlying) }
            switch e.code {
            case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
            case .connectionError: return "connection error"
            case .sslUnsupported: return "the server does not offer TLS, which sslmode requires"
            default: return "\(e.code)"
            }
        }
        if let e = error as? PostgresTransactionError {
            return describe(e.closureError ?? e.commitError ?? e.beginError ?? error)
        }
        if let e = error as? IOError { return e.description }
        return "\(error)"
    }
}
