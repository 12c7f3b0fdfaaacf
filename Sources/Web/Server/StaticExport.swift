import Foundation

/// `smithlog serve --export DIR [--only NAME…]`: the pages written as static files, found by following links
/// from the start page (links with a query string are left out: a static folder cannot answer them).
///
/// Every page is a folder with `index.html`, so that any static file server (`python3 -m http.server -d DIR`)
/// answers the same URLs as `smithlog serve`. Trajectory pages hold all their steps (nothing to fetch later).
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
        let fm = FileManager.default
        while !queue.isEmpty && report.pages < limit {
            let path = queue.removeFirst()
            let response = site.respond(path: path, query: nil)
            guard response.status == 200 else { continue }
            let segments = PageRequest(path: path, query: nil).segments
            let isHTML = response.contentType.hasPrefix("text/html")
            let file =
                isHTML
                ? ([directory] + segments + ["index.html"]).joined(separator: "/")
                : ([directory] + segments).joined(separator: "/")
            try fm.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let bytes = try response.collectBody()
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            report.pages += 1
            report.bytes += bytes.count
            guard isHTML else { continue }
            for link in links(in: bytes) where !seen.contains(link) {
                seen.insert(link)
                if wanted(link, only) { queue.append(link) }
            }
        }
        return report
    }

    /// The same-site links of a page without a query string (`href="/…"`, fragment dropped).
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
            guard !link.contains("?"), !link.isEmpty else { continue }
            out.append(link)
        }
        return out
    }

    /// With `only`, a page is written when one of its segments names one of them (`NAME` or `NAME@N`), plus the
    /// start pages of each kind.
    static func wanted(_ link: String, _ only: [String]) -> Bool {
        guard !only.isEmpty else { return true }
        let segments = PageRequest(path: link, query: nil).segments
        if segments.count <= 1 { return true }
        return segments.contains { s in only.contains { s == $0 || s.hasPrefix($0 + "@") } }
    }
}
