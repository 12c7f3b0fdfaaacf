import SmithTestSupport
import SmithWeb
import Testing

/// A 10,000-instance run: its detail page shows one page of rows and walks to the end by key.
@Suite struct LargeRunTests {
    static func id(_ i: Int) -> String {
        let digits = String(i)
        return "pkg__repo.1234abcd.pr_" + String(repeating: "0", count: 5 - digits.count) + digits
    }

    @Test func runDetailOfTenThousandInstancesPagesByKey() throws {
        let t = try TemporaryStore()
        try t.append(SampleEvents.runStarted(name: "big", instances: 10_000))
        try t.append(
            (0..<10_000).map { SampleEvents.trajectoryProduced(run: "big", instanceID: Self.id($0), steps: $0 % 37) })
        let site = Site(store: try WebStore(log: t.log, location: t.location), pageSize: 50)
        let first = site.respond(path: "/runs/big", query: nil)
        #expect(first.status == 200)
        let html = String(decoding: try first.collectBody(), as: UTF8.self)
        #expect(html.components(separatedBy: "href=\"/runs/big@1/pkg__").count - 1 == 50)
        #expect(html.utf8.count < 60_000)
        #expect(html.contains("after=\(Self.id(49))"))
        // The facets count every row in SQL without listing them.
        #expect(html.contains("submitted 10000"))
        // Walking every page by key shows each instance once, in order.
        var seen: [String] = []
        var after: String? = ""
        var pages = 0
        while let a = after {
            let page = site.respond(path: "/runs/big", query: a.isEmpty ? nil : "after=\(a)")
            let text = String(decoding: try page.collectBody(), as: UTF8.self)
            let ids = text.components(separatedBy: "href=\"/runs/big@1/").dropFirst().map {
                String($0.prefix { $0 != "\"" })
            }
            seen += ids
            pages += 1
            after = text.components(separatedBy: "after=").dropFirst().first.map {
                String($0.prefix { $0 != "\"" && $0 != "&" })
            }
            if pages > 250 { break }
        }
        #expect(pages == 200)
        #expect(seen.count == 10_000)
        #expect(seen == (0..<10_000).map(Self.id))
    }
}
