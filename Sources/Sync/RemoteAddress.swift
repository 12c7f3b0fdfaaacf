import Foundation

/// Where a team's PostgreSQL server is: `postgres://USER@HOST:PORT/DB`, optionally `?sslmode=MODE`.
///
/// A password is never part of it (nor stored anywhere by smithlog): it comes from `PGPASSWORD` or
/// `~/.pgpass` when connecting, as for `psql`.
public struct RemoteAddress: Sendable, Equatable {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// `disable`, `prefer` (the default: TLS when the server offers it), `require`, or `verify-full`
    /// (TLS with the server's certificate checked against the system's trust roots and the host name).
    public var sslMode: String

    public static let sslModes = ["disable", "prefer", "require", "verify-full"]

    /// Parses `text`; `SyncError(.invalid)` naming what is wrong otherwise.
    public init(_ text: String) throws(SyncError) {
        func bad(_ why: String) -> SyncError {
            SyncError(.invalid, "'\(text)' is not a remote address (\(why)); expected postgres://USER@HOST:PORT/DB")
        }
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme)
        else { throw bad("it does not start with postgres://") }
        guard components.password == nil else {
            throw bad("it holds a password: give it in PGPASSWORD or ~/.pgpass, never in the address")
        }
        guard let user = components.user, !user.isEmpty else { throw bad("no USER@") }
        guard let host = components.host, !host.isEmpty else { throw bad("no HOST") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("no /DB") }
        var sslMode = "prefer"
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, Self.sslModes.contains(value) else {
                throw bad(
                    "unknown option '\(item.name)=\(item.value ?? "")'; only sslmode=\(Self.sslModes.joined(separator: "|"))"
                )
            }
            sslMode = value
        }
        self.user = user.removingPercentEncoding ?? user
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    /// The address as given back to users (no password, ever).
    public var text: String {
        let base = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        return sslMode == "prefer" ? base : base + "?sslmode=\(sslMode)"
    }

    /// The password for this address: `PGPASSWORD`, else the first matching line of `PGPASSFILE` or
    /// `~/.pgpass` (`host:port:db:user:password`, `*` matching anything, `\:` and `\\` escaped); nil when none.
    public func password(environment: [String: String]? = nil) -> String? {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let file =
            environment["PGPASSFILE"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.pgpassFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields[0..<4], wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func pgpassFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
