import SmithJSON
import SmithStore

/// `/log?type=&stream=&from=`: the event log, filtered, a page at a time by seq; `/log/<seq>`: one event's JSON
/// and its blobs; `/blobs/<sha256>`: a blob decompressed (large ones clipped, whole with `?raw=1`, streamed).
enum EventLogPage {
    static func index(_ site: Site, _ r: PageRequest) throws -> Markup {
        let from = UInt64(max(1, try r.int("from") ?? 1))
        var events: [RecordedEvent] = []
        let limit = site.pageSize + 1
        let take: (RecordedEvent) -> Bool = { e in
            events.append(e)
            return events.count < limit
        }
        let log = site.store.log
        if let type = r["type"], let stream = r["stream"] {
            try log.forEach(stream: stream, from: from) { e in e.type == type ? take(e) : true }
        } else if let type = r["type"] {
            try log.forEach(type: type, from: from, take)
        } else if let stream = r["stream"] {
            try log.forEach(stream: stream, from: from, take)
        } else {
            try log.forEach(from: from, take)
        }
        let shown = events.prefix(site.pageSize)
        let cells: [[Markup]] = shown.map { e in
            [
                H.td(H.a(Link.event(Int64(e.seq)), String(e.seq)), class: "num"),
                H.td(H.a(Link.with("/log", ["type": e.type]), e.type)),
                H.td(H.a(Link.with("/log", ["stream": e.stream]), e.stream)),
                H.td(Timestamp.iso8601(milliseconds: e.recordedAt)), H.td(String(e.blobs.count), class: "num"),
            ]
        }
        let next =
            events.count > site.pageSize
            ? Link.with("/log", ["type": r["type"], "stream": r["stream"], "from": String(shown.last!.seq + 1)]) : nil
        return Layout.page(
            "Event log",
            [
                H.h1("Event log"),
                filterForm(
                    "/log",
                    [("type", "type", r["type"]), ("stream", "stream", r["stream"]), ("from", "from seq", r["from"])]),
                H.table(["seq", "type", "stream", "recorded at", "blobs"], cells, id: "events"),
                Layout.next(next),
            ])
    }

    static func event(_ site: Site, seq text: String) throws -> Markup {
        guard let seq = UInt64(text), seq >= 1, seq <= (try site.store.log.lastSeq()) else {
            throw PageNotFound("there is no event with seq '\(text)'")
        }
        let e = try site.store.log.event(seq: seq)
        var blobs: [[Markup]] = []
        for d in e.blobs {
            let size = (try? site.store.log.blob(d).count).map(Num.bytes) ?? "missing"
            blobs.append([H.td(H.a(Link.blob(d.hex), d.hex)), H.td(size, class: "num")])
        }
        return Layout.page(
            "Event \(seq)",
            [
                H.h1("Event \(seq): \(e.type)"),
                .el(
                    "p", [:],
                    [
                        seq > 1 ? H.a(Link.event(Int64(seq - 1)), "← previous") : .empty, Markup(" "),
                        H.a(Link.event(Int64(seq + 1)), "next →"), Markup(" "),
                        H.a(Link.with("/log", ["stream": e.stream]), "stream \(e.stream)"),
                    ]),
                .el(
                    "pre", ["id": "event-json"], [Markup(PythonJSON.dumps(e.jsonValue, ensureASCII: false, indent: 2))]),
                H.h2("Blobs"),
                H.table(["sha256", "size (decompressed)"], blobs, id: "blobs"),
            ])
    }

    /// Blobs larger than this show their beginning on the page; `?raw=1` streams them whole.
    static let inlineLimit = 64 * 1024

    static func blob(_ site: Site, hex: String, raw: Bool) throws -> WebResponse {
        guard let digest = Digest(hex: hex) else { throw PageNotFound("'\(hex)' is not a SHA-256") }
        let bytes: [UInt8]
        do {
            bytes = try site.store.log.blob(digest)
        } catch let e as LogError where e.code == .notFound {
            throw PageNotFound("no blob \(hex) is stored")
        }
        if raw {
            return WebResponse(
                contentType: "text/plain; charset=utf-8",
                body: .stream { write in
                    var start = 0
                    while start < bytes.count {
                        let end = min(bytes.count, start + 64 * 1024)
                        try write(Array(bytes[start..<end]))
                        start = end
                    }
                })
        }
        let text = String(decoding: bytes.prefix(inlineLimit), as: UTF8.self)
        return .html(
            Layout.page(
                "Blob \(hex.prefix(12))",
                [
                    H.h1("Blob \(hex)"),
                    H.p(
                        "\(Num.bytes(bytes.count)) decompressed."
                            + (bytes.count > inlineLimit ? " The first \(Num.bytes(inlineLimit)) are shown." : "")),
                    .el("p", [:], [H.a(Link.with(Link.blob(hex), ["raw": "1"]), "whole blob as text")]),
                    .el("pre", ["id": "blob"], [Markup(text)]),
                ]))
    }
}
