import Foundation
import Hummingbird
import HummingbirdTesting
import SmithWeb
import Testing

/// Issue 16's training curves, DPO parents and inference runs in the web UI, on ``CheckpointStore``.
@Suite struct CheckpointPageTests {
    static let fixture = CheckpointStore.shared

    static func withClient<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T
    {
        try await WebServer.application(site: Site(store: fixture.store), port: 0).test(.router, body)
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (Int, String) {
        try await client.execute(uri: uri, method: .get) { r in (r.status.code, String(buffer: r.body)) }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The points of every chart's line (`M x yLx y…` paths of class `series`).
    static func seriesPoints(_ html: String) -> [Int] {
        html.components(separatedBy: "class=\"series\" d=\"").dropFirst().map { part in
            let d = part.prefix { $0 != "\"" }
            return d.filter { $0 == "M" || $0 == "L" }.count
        }
    }

    @Test func checkpointPagePlotsOneChartPerMetricOfTheDiskLoggerLog() async throws {
        try await Self.withClient { client in
            let (status, body) = try await Self.get(client, "/checkpoints/full_ft_qwen_7b-epoch2")
            #expect(status == 200, "\(body.prefix(300))")
            // The committed log has 7 metrics (6 on every step, one logged once).
            #expect(Self.count("<svg class=\"chart\"", in: body) == 7)
            for metric in ["loss", "lr", "tokens_per_second_per_gpu", "peak_memory_active"] {
                #expect(body.contains("<code>\(metric)</code>"), "\(metric)")
            }
            // 1,005 steps: thinned to at most 1,000 points per series; ticks are labelled.
            #expect(Self.seriesPoints(body).allSatisfy { $0 <= 1_000 })
            #expect(body.contains("class=\"tick\""))
            #expect(body.contains(">step</text>"))
            #expect(body.utf8.count < 300_000, "\(body.utf8.count) bytes")
            #expect(body.contains("href=\"/lineage/checkpoint/full_ft_qwen_7b-epoch2@1\""))
            // The DPO checkpoint trained from it is listed.
            #expect(body.contains("href=\"/checkpoints/qwen-7b-dpo@1\""))
        }
    }

    @Test func metricNamesAreEscapedAndNanValuesAreGaps() async throws {
        try await Self.withClient { client in
            let (status, body) = try await Self.get(client, "/checkpoints/full_ft_qwen_7b-epoch1@1")
            #expect(status == 200)
            #expect(!body.contains(CheckpointStore.hostileMetric))
            #expect(body.contains("&lt;b&gt;odd&lt;/b&gt;"))
            #expect(Self.count("<svg class=\"chart\"", in: body) == 2)
            #expect(body.contains("1 nan or infinite (gaps)"))
            // Six values, the third nan: two runs of points (steps 1–2 and 4–6), i.e. two `M`s in one path.
            let odd = body.components(separatedBy: "&lt;b&gt;odd&lt;/b&gt; by step").last ?? ""
            let path = odd.components(separatedBy: "class=\"series\" d=\"").dropFirst().first?.prefix { $0 != "\"" }
            #expect(path?.filter { $0 == "M" }.count == 2, "\(path ?? "")")
        }
    }

    @Test func aLongCurveIsThinnedButKeepsItsSpike() async throws {
        try await Self.withClient { client in
            let (status, body) = try await Self.get(client, "/checkpoints/full_ft_qwen_7b-epoch4")
            #expect(status == 200)
            #expect(Self.count("<svg class=\"chart\"", in: body) == 1)
            let points = Self.seriesPoints(body)
            #expect(points.count == 1 && points[0] <= 1_000 && points[0] > 300, "\(points)")
            #expect(body.contains("5000 values"))
            // The nan at step 4,000 and the inf at 4,500 break the line twice: three runs of points.
            #expect(body.contains("2 nan or infinite (gaps)"))
            let path = body.components(separatedBy: "class=\"series\" d=\"").last?.prefix { $0 != "\"" } ?? ""
            #expect(path.filter { $0 == "M" }.count == 3)
            // The spike (50.0 at one step; every other value is under 2) stretches the y axis: a tick at 40.
            #expect(body.contains(">40</text>"))
            #expect(body.utf8.count < 100_000, "\(body.utf8.count) bytes")
        }
    }

    @Test func checkpointWithoutACurveSaysSo() async throws {
        try await Self.withClient { client in
            let (status, body) = try await Self.get(client, "/checkpoints/full_ft_qwen_7b-epoch3")
            #expect(status == 200)
            #expect(body.contains("No training curve is recorded for this checkpoint"))
            #expect(!body.contains("<svg class=\"chart\""))
            let (missing, _) = try await Self.get(client, "/checkpoints/no-such-checkpoint")
            #expect(missing == 404)
        }
    }

    @Test func dpoCheckpointShowsItsParentAndPreferenceData() async throws {
        try await Self.withClient { client in
            let (status, body) = try await Self.get(client, "/checkpoints/qwen-7b-dpo")
            #expect(status == 200)
            #expect(body.contains("<dt>parent checkpoint</dt><dd><a href=\"/checkpoints/full_ft_qwen_7b-epoch2@1\">"))
            #expect(body.contains("<dt>data kind</dt><dd>preference</dd>"))
            #expect(body.contains("<dt>data sha256</dt>"))
        }
    }

    @Test func lineageAndResultLinkTheCheckpointPageAndTheInferenceRun() async throws {
        try await Self.withClient { client in
            let (status, lineage) = try await Self.get(client, "/lineage/bench/res-a")
            #expect(status == 200)
            #expect(lineage.contains("href=\"/checkpoints/ckpt@1\""))
            #expect(lineage.contains("href=\"/runs/inf-a@1\""))
            let (_, result) = try await Self.get(client, "/runs/res-a")
            #expect(result.contains("<dt>inference run</dt><dd><a href=\"/runs/inf-a@1\">"))
            #expect(result.contains("<dt>checkpoint</dt><dd><a href=\"/checkpoints/ckpt@1\">"))
            let (_, checkpoint) = try await Self.get(client, "/checkpoints/ckpt")
            #expect(checkpoint.contains("href=\"/runs/res-a@1\""))
            #expect(checkpoint.contains("href=\"/runs/inf-a@1\""))
            let (_, board) = try await Self.get(client, "/leaderboard/swe-bench_verified")
            #expect(board.contains("href=\"/checkpoints/ckpt@1\""))
        }
    }

    @Test func comparedResultsOpenTheFlippedInstancesInferenceTrajectoriesSideBySide() async throws {
        try await Self.withClient { client in
            let (status, compare) = try await Self.get(client, "/compare?a=res-a&b=res-b")
            #expect(status == 200, "\(compare.prefix(400))")
            let id = CheckpointStore.flipped
            let href = "/compare/trajectories?a=inf-a@1&amp;b=inf-b@1&amp;instance=\(id)"
            #expect(compare.contains(href), "\(compare)")
            #expect(compare.contains("predictions of inference run <a href=\"/runs/inf-a@1\">"))
            let (sideStatus, side) = try await Self.get(client, href.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(sideStatus == 200, "\(side.prefix(400))")
            #expect(side.contains("<h2>inf-a@1</h2>") && side.contains("<h2>inf-b@1</h2>"))
            #expect(side.contains("href=\"/runs/inf-a@1/\(id)"))
            #expect(side.contains("href=\"/runs/inf-b@1/\(id)"))
            #expect(side.contains("first differ at step") || side.contains("take the same actions"))
        }
    }

    /// Every relative `href`/`src` of the exported HTML files, as (page, link, the file it names, exists).
    static func relativeLinks(under dir: String) throws -> [(page: String, link: String, exists: Bool)] {
        let fm = FileManager.default
        var out: [(String, String, Bool)] = []
        for case let page as String in fm.enumerator(atPath: dir)! where page.hasSuffix(".html") {
            let html = try String(contentsOfFile: dir + "/" + page, encoding: .utf8)
            let folder = URL(fileURLWithPath: dir + "/" + page).deletingLastPathComponent()
            for attribute in ["href=\"", "src=\""] {
                for part in html.components(separatedBy: attribute).dropFirst() {
                    let value = String(part.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                    guard value.hasPrefix("./") || value.hasPrefix("../") else { continue }
                    let file = String(value.prefix { $0 != "#" }).removingPercentEncoding!
                    let target = folder.appendingPathComponent(file).standardized.path
                    out.append((page, value, fm.fileExists(atPath: target)))
                }
            }
        }
        return out
    }

    @Test func staticExportWritesComparisonsWithQueriesAndRelativeLinksThatResolve() throws {
        let dir = NSTemporaryDirectory() + "smithlog-export-ckpt-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try StaticExport.write(Site(store: Self.fixture.store), to: dir)
        #expect(report.pages > 10)
        let fm = FileManager.default
        // The leaderboard's "vs top" comparison and the side-by-side of its flipped instance, under stable names.
        let compared = try fm.contentsOfDirectory(atPath: dir + "/compare")
        let compare = compared.filter { $0.hasPrefix("q-a-res-a@1_b-res-b@1") }
        #expect(compare.count >= 1, "\(compared)")
        let sides = try fm.contentsOfDirectory(atPath: dir + "/compare/trajectories")
        let flip = sides.filter { $0.hasPrefix("q-a-inf-a@1_b-inf-b@1_instance-\(CheckpointStore.flipped)-") }
        #expect(flip.count == 1, "\(sides)")
        let side = try String(
            contentsOfFile: dir + "/compare/trajectories/\(flip.first ?? "")/index.html", encoding: .utf8)
        #expect(side.contains("<h2>inf-a@1</h2>") && side.contains("<h2>inf-b@1</h2>"))
        // Links between written files are relative (they open from disk) and every one names a written file.
        let board = try String(contentsOfFile: dir + "/leaderboard/swe-bench_verified/index.html", encoding: .utf8)
        #expect(board.contains("href=\"../../compare/q-a-res-a@1_b-res-b@1"))
        #expect(board.contains("href=\"../../static/app.css\""))
        #expect(board.contains("href=\"../../checkpoints/ckpt@1/index.html\""))
        let links = try Self.relativeLinks(under: dir)
        #expect(links.count > 50)
        let broken = links.filter { !$0.exists }
        #expect(broken.isEmpty, "\(broken.prefix(5))")
        let root = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        #expect(root.contains("href=\"./leaderboard/index.html\""))
    }
}
