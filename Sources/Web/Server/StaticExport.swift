import Foundation
import SmithStore

/// `smithlog serve --export DIR [--only NAME…]`: the pages written as static files, found by following links
/// from the start page, with every link between written files made relative, so that the folder opens from disk
/// (`file://…/index.html`) as well as from any static file server.
///
/// Every page is a folder with `index.html`; links name that file explicitly (a browser reading files does not
/// look for it). Of the pages whose address has a query string only the comparisons are written
/// (`/compare?a=&b=…` and `/compare/trajectories?a=&b=&instance=`), each under a stable folder named after its
/// query (``queryFolder(_:)``); other query links (filters, paging) are left as they are: a static folder cannot
/// answer them. Trajectory pages hold all their steps (nothing to fetch later).
public enum StaticExport {
    public struct Report: Sendable {
        public var pages: Int
        public var bytes: Int
    }

    /// Writes the pages reachable from `/` (only those naming one of `only`, when given) under `directory`.
    public static func write(
        _ site: Site, to directory: String, only: [String] = [], limit: Int = 20_000
    ) throws -> Report {
        var site = site
        site.allStepsAtOnce = true
        var queue = ["/", "/static/app.css", "/static/app.js", "/static/favicon.svg"]
        var seen = Set(queue)
        var report = Report(pages: 0, bytes: 0)
        // Each written link (as the pages write it) and its file, relative to `directory`.
        var files: [String: String] = [:]
        var pages: [String] = []
        let fm = FileManager.default
        while !queue.isEmpty && report.pages < limit {
            let link = queue.removeFirst()
            let (path, query) = split(link)
            let response = site.respond(path: path, query: query)
            guard response.status == 200 else { continue }
            let isHTML = response.contentType.hasPrefix("text/html")
            let file = self.file(for: link, isHTML: isHTML)
            let target = directory + "/" + file
            try fm.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let bytes = try response.collectBody()
            try Data(bytes).write(to: URL(fileURLWithPath: target))
            files[link] = file
            report.pages += 1
            report.bytes += bytes.count
            guard isHTML else { continue }
            pages.append(file)
            for next in links(in: bytes) where !seen.contains(next) {
                seen.insert(next)
                if wanted(next, only) { queue.append(next) }
            }
        }
        // Second pass: now that every written file is known, links to them become relative.
        for page in pages {
            let url = URL(fileURLWithPath: directory + "/" + page)
            let html = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            let rewritten = relativize(html, from: page, files: files)
            if rewritten != html { try Data(rewritten.utf8).write(to: url) }
        }
        return report
    }

    /// `path?query` split at the `?`.
    static func split(_ link: String) -> (path: String, query: String?) {
        guard let q = link.firstIndex(of: "?") else { return (link, nil) }
        return (String(link[..<q]), String(link[link.index(after: q)...]))
    }

    /// The file a link is written to, relative to the export folder: `runs/x@1/index.html` for a page,
    /// `compare/q-….html`'s folder for a comparison with a query string, the path itself for other files.
    static func file(for link: String, isHTML: Bool) -> String {
        let (path, query) = split(link)
        var segments = PageRequest(path: path, query: nil).segments
        if let query { segments.append(queryFolder(query)) }
        if isHTML { segments.append("index.html") }
        return segments.joined(separator: "/")
    }

    /// A stable folder name for a query string: its readable part (`a-res-a@1_b-res-b@1`, shortened) and the
    /// first 12 hex digits of its SHA-256, so that two queries never share a folder.
    static func queryFolder(_ query: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@-")
        let decoded = query.removingPercentEncoding ?? query
        let readable = String(
            decoded.map { $0 == "=" ? "-" : allowed.contains($0) ? $0 : "_" }.prefix(80))
        return "q-" + readable + "-" + String(Digest.sha256(Array(query.utf8)).hex.prefix(12))
    }

    /// The same-site links of a page (`href="/…"`, fragment dropped): without a query string, or comparisons.
    static func links(in html: [UInt8]) -> [String] {
        let text = String(decoding: html, as: UTF8.self)
        var out: [String] = []
        var rest = text[...]
        while let r = rest.range(of: "href=\"/") {
            let start = text.index(before: r.upperBound)
            guard let end = text[start...].firstIndex(of: "\"") else { break }
            var link = String(text[start..<end]).replacingOccurrences(of: "&amp;", with: "&")
            rest = text[end...]
            if let hash = link.firstIndex(of: "#") { link = String(link[..<hash]) }
            guard !link.isEmpty, !link.contains("?") || isComparison(link) else { continue }
            out.append(link)
        }
        return out
    }

    /// A comparison page with its query: the one kind of query page the export writes.
    static func isComparison(_ link: String) -> Bool {
        let (path, query) = split(link)
        return (path == "/compare" || path == "/compare/trajectories") && query != nil
    }

    /// `html` with every `href="/…"` and `src="/…"` naming a written file replaced by a path relative to `page`
    /// (fragments kept); links to what was not written stay as they are.
    static func relativize(_ html: String, from page: String, files: [String: String]) -> String {
        let depth = page.split(separator: "/").count - 1
        let up = depth == 0 ? "./" : String(repeating: "../", count: depth)
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = html[...]
        while let r = rest.range(of: "=\"/") {
            let attribute = rest[..<r.lowerBound]
            out += rest[..<r.upperBound].dropLast()
            rest = rest[r.upperBound...]
            let start = html.index(before: r.upperBound)
            guard attribute.hasSuffix("href") || attribute.hasSuffix("src"),
                let end = html[start...].firstIndex(of: "\"")
            else {
                out += "/"
                continue
            }
            let written = String(html[start..<end])
            var link = written.replacingOccurrences(of: "&amp;", with: "&")
            var fragment = ""
            if let hash = link.firstIndex(of: "#") {
                fragment = String(link[hash...])
                link = String(link[..<hash])
            }
            if let file = files[link] {
                let relative = up + file.split(separator: "/").map { Link.segment(String($0)) }.joined(separator: "/")
                out += Markup.escape(relative + fragment)
            } else {
                out += written
            }
            rest = html[end...]
        }
        out += rest
        return out
    }

    /// With `only`, a page is written when one of its segments or query values names one of them (`NAME` or
    /// `NAME@N`), plus the start pages of each kind.
    static func wanted(_ link: String, _ only: [String]) -> Bool {
        guard !only.isEmpty else { return true }
        let (path, query) = split(link)
        let request = PageRequest(path: path, query: query)
        if request.segments.count <= 1 && query == nil { return true }
        let names = request.segments + request.parameters.map(\.1)
        return names.contains { s in only.contains { s == $0 || s.hasPrefix($0 + "@") } }
    }
}
