import Foundation

/// A request as pages see it: the path's segments (percent-decoded) and the query's parameters.
public struct PageRequest: Sendable {
    public var segments: [String]
    public var parameters: [(String, String)]

    /// `path` as sent (`/runs/my%20run`), `query` without the `?`.
    public init(path: String, query: String?) {
        segments = path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        parameters = (query ?? "").split(separator: "&").compactMap { pair in
            guard !pair.isEmpty else { return nil }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`, nil when absent or empty.
    public subscript(_ name: String) -> String? {
        guard let v = parameters.first(where: { $0.0 == name })?.1, !v.isEmpty else { return nil }
        return v
    }

    /// An integer parameter, nil when absent; a value that is not a whole number is a bad request.
    func int(_ name: String) throws -> Int? {
        guard let v = self[name] else { return nil }
        guard let n = Int(v) else { throw BadPageRequest("\(name)=\(v): expected a whole number") }
        return n
    }
}

/// Links: every page's URL is built here, so that a page's address is stable and pasteable.
enum Link {
    static let pathAllowed: CharacterSet = {
        var s = CharacterSet.urlPathAllowed
        s.remove(charactersIn: "/?#%;")
        return s
    }()
    static let queryAllowed: CharacterSet = {
        var s = CharacterSet.alphanumerics
        s.insert(charactersIn: "-._~@:/")
        return s
    }()

    static func segment(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? s }

    /// `/a/b/c` with each segment encoded.
    static func path(_ segments: String...) -> String { "/" + segments.map(segment).joined(separator: "/") }

    /// `path?k=v&…` leaving out nil values.
    static func with(_ path: String, _ query: KeyValuePairs<String, String?>) -> String {
        let parts = query.compactMap { k, v in
            v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? $0)" }
        }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    static func leaderboard(_ benchmark: String) -> String { path("leaderboard", benchmark) }
    static func run(_ name: String) -> String { path("runs", name) }
    static func trajectory(_ run: String, _ instance: String) -> String { path("runs", run, instance) }
    static func lineage(_ kind: String, _ name: String) -> String { path("lineage", kind, name) }
    static func sft(_ name: String) -> String { path("sft", name) }
    static func checkpoint(_ name: String) -> String { path("checkpoints", name) }
    static func instance(_ id: String) -> String { path("instances", id) }
    static func event(_ seq: Int64) -> String { path("log", String(seq)) }
    static func blob(_ hex: String) -> String { path("blobs", hex) }
    static func compare(_ a: String, _ b: String) -> String { with("/compare", ["a": a, "b": b]) }
}
