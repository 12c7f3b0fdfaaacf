import Foundation
import Hummingbird
import HummingbirdTesting
import SmithWeb
import Testing

/// Every page through Hummingbird's in-process test harness, on the store built from examples/sample.
@Suite struct PageTests {
    static let fixture = FixtureStore.shared
    static let run = "sample-run"
    static let instance = FixtureStore.instance

    static let pages = [
        "/", "/leaderboard", "/leaderboard/swe-bench_verified", "/runs", "/runs?kind=traj", "/runs?kind=eval",
        "/runs?kind=bench", "/runs/sample-run", "/runs/sample-run@1?sort=steps", "/runs/sample-run?verdict=resolved",
        "/runs/sample-eval", "/runs/qwen-7b-sample-verified", "/runs/sample-run/\(instance)",
        "/runs/sample-run/\(instance)?step=1", "/runs/sample-run/\(instance)?from=1&fragment=1",
        "/compare?a=qwen-7b-sample-verified&b=mini-qwen-verified", "/compare?a=sample-run&b=sample-run-b&show=all",
        "/compare/trajectories?a=sample-run&b=xss-run&instance=\(instance)", "/compare",
        "/lineage/bench/qwen-7b-sample-verified", "/lineage/sft/sample-sft", "/sft", "/sft/sample-sft",
        "/sft/sample-sft@1", "/sft-diff?a=sample-sft&b=sample-sft", "/instances/\(instance)", "/log",
        "/log?type=TrajectoryProduced", "/log?stream=run/sample-run&from=3", "/log/1", "/static/app.js",
        "/static/app.css",
    ]

    /// The app on the fixture store, with `site` settings, through the in-process harness.
    static func withClient<T: Sendable>(
        pageSize: Int = 50, stepsPerPage: Int = 20, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let site = Site(store: fixture.store, pageSize: pageSize, stepsPerPage: stepsPerPage)
        return try await WebServer.application(site: site, port: 0).test(.router, body)
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (Int, String, TestResponse) {
        try await client.execute(uri: uri, method: .get) { r in
            (r.status.code, String(buffer: r.body), r)
        }
    }

    @Test func everyPageAnswers200WithTheCSPHeader() async throws {
        try await Self.withClient { client in
            for page in Self.pages {
                let (status, body, response) = try await Self.get(client, page)
                #expect(status == 200, "\(page): \(body.prefix(300))")
                #expect(
                    response.headers[.contentSecurityPolicy] == "default-src 'self'; script-src 'self'; "
                        + "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'", "\(page)")
                if !page.hasPrefix("/static") && !page.contains("fragment") {
                    #expect(!body.contains("<script>"), "\(page) has an inline script")
                }
            }
        }
    }

    @Test func unknownNamesGiveA404PageWithALinkHome() async throws {
        try await Self.withClient { client in
            for page in [
                "/nope", "/runs/no-such-run", "/runs/sample-run/no-such-instance", "/leaderboard/no-bench",
                "/lineage/bench/no-such", "/lineage/weird/x", "/sft/no-such", "/sft/no-such/download",
                "/instances/no-such-instance", "/log/999999", "/blobs/abc", "/static/none.js",
                "/runs/sample-run/\(Self.instance)?step=999",
            ] {
                let (status, body, _) = try await Self.get(client, page)
                #expect(status == 404, "\(page)")
                #expect(body.contains("<a href=\"/\">"), "\(page)")
            }
            let (status, _, _) = try await Self.get(client, "/runs/sample-run?sort=sideways")
            #expect(status == 400)
        }
    }

    @Test func textFromAnArtifactIsEscaped() async throws {
        try await Self.withClient { client in
            let (status, body, _) = try await Self.get(client, "/runs/xss-run/\(Self.instance)")
            #expect(status == 200)
            #expect(!body.contains(FixtureStore.script))
            #expect(body.contains("&lt;script&gt;alert(&#39;smithlog&#39;)&lt;/script&gt;"))
            let (_, fragment, _) = try await Self.get(client, "/runs/xss-run/\(Self.instance)?from=0&fragment=1")
            #expect(!fragment.contains(FixtureStore.script))
            #expect(fragment.contains("&lt;script&gt;"))
        }
    }

    /// Follows the next-page links of a run's instance table at a page size; returns the instances in order.
    static func walk(_ client: any TestClientProtocol, _ first: String) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var next: String? = first
        var pages = 0
        while let uri = next {
            let (status, body, _) = try await get(client, uri)
            #expect(status == 200)
            pages += 1
            ids += links(in: body, prefix: "/runs/sample-run@1/")
            next = links(in: body, rel: "next").first
            if pages > 20 { break }
        }
        return (ids, pages)
    }

    static func links(in html: String, prefix: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { part in
            let link = String(part.prefix { $0 != "\"" })
            return link.hasPrefix(prefix) ? String(link.dropFirst(prefix.count)) : nil
        }
    }

    static func links(in html: String, rel: String) -> [String] {
        html.components(separatedBy: "<a href=\"").dropFirst().compactMap { part in
            let link = String(part.prefix { $0 != "\"" })
            return part.contains("rel=\"\(rel)\" class=\"next\"")
                ? link.replacingOccurrences(of: "&amp;", with: "&") : nil
        }
    }

    @Test(arguments: [1, 3, 7, 8, 9]) func runDetailPagesByKeyAtEverySize(size: Int) async throws {
        let (ids, pages) = try await Self.withClient(pageSize: size) { client in
            try await Self.walk(client, "/runs/sample-run")
        }
        // The sample run has 8 trajectories: each shown once, in order, on ceil(8 / size) pages.
        #expect(ids.count == 8)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 8)
        #expect(pages == (8 + size - 1) / size)
    }

    @Test func runDetailSortedBySteps() async throws {
        let (ids, _) = try await Self.withClient(pageSize: 3) { client in
            try await Self.walk(client, "/runs/sample-run?sort=steps")
        }
        #expect(Set(ids).count == 8)
    }

    @Test func trajectoryShowsOnlyItsFirstStepsAndFetchesTheRest() async throws {
        try await Self.withClient(stepsPerPage: 2) { client in
            let (_, page, _) = try await Self.get(client, "/runs/sample-run/\(Self.instance)")
            #expect(page.components(separatedBy: "class=\"step\"").count - 1 == 2)
            #expect(page.contains("id=\"more-steps\""))
            #expect(
                page.contains("rel=\"next\" class=\"instance-nav\"")
                    || page.contains("rel=\"prev\" class=\"instance-nav\""))
            let (_, fragment, _) = try await Self.get(client, "/runs/sample-run/\(Self.instance)?from=2&fragment=1")
            #expect(fragment.contains("data-step=\"3\""))
            #expect(fragment.contains("data-step=\"4\""))
            #expect(!fragment.contains("<html"))
        }
    }

    /// A 1 MB, 150-step trajectory's first response holds its first steps only, well under 200 KB; so does the
    /// 1 MB real SWE-smith trajectory (whose weight is in what the model saw at each step).
    @Test func firstResponseOfALargeTrajectoryIsSmall() async throws {
        try await Self.withClient { client in
            let (status, page, _) = try await Self.get(client, "/runs/big-run/\(Self.instance)")
            #expect(status == 200)
            #expect(page.contains("150</dd>"))
            #expect(page.utf8.count < 200_000)
            // As many steps as fit a response's budget, then the script fetches from the next one.
            let shown = page.components(separatedBy: "class=\"step\"").count - 1
            #expect(shown >= 10 && shown <= 20)
            #expect(page.contains("?from=\(shown)&amp;fragment=1"))
            let (_, fragment, _) = try await Self.get(client, "/runs/big-run/\(Self.instance)?from=140&fragment=1")
            #expect(fragment.contains("data-step=\"150\""))
            #expect(!fragment.contains("next-src"))
            let (realStatus, real, _) = try await Self.get(
                client, "/runs/fixture-run/pandas-dev__pandas.95280573.pr_53856")
            #expect(realStatus == 200)
            #expect(real.utf8.count < 200_000)
        }
    }

    @Test func sftDownloadIsByteIdenticalToSftExport() async throws {
        let body = try await Self.withClient { client in
            try await client.execute(uri: "/sft/sample-sft/download", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentDisposition]?.contains("attachment") == true)
                return Array(r.body.readableBytesView)
            }
        }
        #expect(!body.isEmpty)
        #expect(body == Self.fixture.exportedSFT)
    }

    @Test func leaderboardMarksTiesWithTheTopRow() async throws {
        try await Self.withClient { client in
            let (_, body, _) = try await Self.get(client, "/leaderboard/swe-bench_verified")
            #expect(body.contains("top"))
            #expect(body.contains("p = "))
            #expect(body.contains("href=\"/runs/qwen-7b-sample-verified@1\""))
            #expect(body.contains("href=\"/lineage/bench/qwen-7b-sample-verified@1\""))
        }
    }

    @Test func comparisonOpensSideBySideWithTheFirstDifferingStepMarked() async throws {
        try await Self.withClient { client in
            let (_, compare, _) = try await Self.get(client, "/compare?a=sample-run&b=sample-run-b&show=all")
            #expect(compare.contains("/compare/trajectories?a=sample-run@1&amp;b=sample-run-b@1&amp;instance="))
            #expect(compare.contains("Exact McNemar p = 1"))
            let (_, side, _) = try await Self.get(
                client, "/compare/trajectories?a=sample-run&b=xss-run&instance=\(Self.instance)")
            #expect(side.contains("step differs"))
            #expect(side.contains("first differ at step"))
        }
    }

    @Test func staticExportWritesTheSamePages() throws {
        let dir = NSTemporaryDirectory() + "smithlog-export-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try StaticExport.write(Site(store: Self.fixture.store), to: dir, only: ["sample-sft"])
        #expect(report.pages > 3)
        #expect(FileManager.default.fileExists(atPath: dir + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sft/sample-sft@1/index.html"))
        let download = try Data(contentsOf: URL(fileURLWithPath: dir + "/sft/sample-sft@1/download"))
        #expect(Array(download) == Self.fixture.exportedSFT)
        #expect(!FileManager.default.fileExists(atPath: dir + "/runs/sample-run-b@1/index.html"))
    }
}
