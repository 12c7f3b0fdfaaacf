import Foundation
import SmithIngest
import SmithJSON
import SmithProjections
import SmithQueries
import SmithStore
import Testing

/// A store in a fresh temporary folder holding the 9 Verified submissions of Tests/Fixtures/leaderboard.
final class VerifiedStore {
    static let fixtures =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
        + "/Fixtures/leaderboard/verified"

    let path: String
    let log: EventLog
    let projections: ProjectionEngine

    init() throws {
        path = NSTemporaryDirectory() + "smithlog-queries-test-" + UUID().uuidString
        let location = StoreLocation(root: path + "/store")
        log = try EventLog.create(at: location)
        projections = try ProjectionEngine(store: location)
        for stem in try Self.stems() {
            _ = try BenchmarkRecord.run(
                .init(
                    report: Self.report(stem), benchmark: "swe-bench_verified", split: "test", model: stem,
                    checkpoint: nil, name: stem), log: log, projections: projections)
        }
        try projections.catchUp(log: log)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The submissions' file stems: `<stem>.verified.json`, the names claimed.json uses.
    static func stems() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".verified.json") }
            .map { String($0.dropLast(".verified.json".count)) }.sorted()
    }

    static func report(_ stem: String) -> String { fixtures + "/" + stem + ".verified.json" }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

@Suite("Leaderboard, compare and history over the Verified submissions")
struct LeaderboardTests {
    @Test("resolved % of the full 500 equals what claimed.json says for each of the 9 submissions")
    func claimedPercentages() throws {
        let store = try VerifiedStore()
        let claimed = try VerifiedStore.json(VerifiedStore.fixtures + "/claimed.json")
        let rows = try Leaderboard.rows(benchmark: "swe-bench_verified", projections: store.projections)
        #expect(rows.count == 9)
        #expect(Set(rows.map(\.name)) == Set(try VerifiedStore.stems()))
        for row in rows {
            let claim = try #require(claimed[row.name]?["resolved_pct"]?.doubleValue, "\(row.name)")
            #expect(row.resolvedPct == claim, "\(row.name)")
            #expect(row.total == 500)
            #expect(row.ciLow < claim && claim < row.ciHigh)
        }
        #expect(rows.map(\.resolvedPct) == rows.map(\.resolvedPct).sorted(by: >))
        #expect(rows.first?.rank == 1)
    }

    @Test("the Wilson interval matches the closed form computed independently")
    func wilson() throws {
        let store = try VerifiedStore()
        let gemini = try #require(
            try Leaderboard.rows(benchmark: nil, projections: store.projections).first {
                $0.name == "20250726_mini-v1.0.0_gemini-2.5-pro"
            })
        // python3: p=268/500; z=1.959963984540054; d=1+z*z/500; c=(p+z*z/1000)/d;
        // h=z*math.sqrt(p*(1-p)/500+z*z/(4*500*500))/d; print(100*(c-h), 100*(c+h))
        #expect(gemini.resolved == 268)
        #expect(abs(gemini.ciLow - 49.2179234494295) < 1e-9)
        #expect(abs(gemini.ciHigh - 57.92718129924732) < 1e-9)
    }

    @Test("compare gives the set arithmetic of the two reports' resolved_ids and the exact McNemar p")
    func compare() throws {
        let store = try VerifiedStore()
        let a = "20250726_mini-v1.0.0_gemini-2.5-pro"
        let b = "20250802_mini-v1.0.0_claude-4-opus-20250514"
        func resolved(_ stem: String) throws -> Set<String> {
            Set(
                try VerifiedStore.json(VerifiedStore.report(stem))["resolved_ids"]?.arrayValue?.compactMap(
                    \.stringValue)
                    ?? [])
        }
        let (ra, rb) = (try resolved(a), try resolved(b))
        let r = try RunComparison.compare(a, b, log: store.log, projections: store.projections)
        #expect(r.onlyA == ra.subtracting(rb).sorted())
        #expect(r.onlyB == rb.subtracting(ra).sorted())
        #expect(r.both == ra.intersection(rb).count)
        #expect(r.a.resolved.count == ra.count && r.b.resolved.count == rb.count)
        #expect((r.onlyA.count, r.onlyB.count) == (18, 88))
        // scipy.stats.binomtest(18, 106, 0.5).pvalue = 2.9707702557827688e-12 (and the exact rational, see
        // McNemarTests).
        #expect(abs(r.pValue - 2.970770255782769e-12) < 1e-24)
        #expect(r.perRepo.reduce(0) { $0 + $1.a } == ra.count)
    }

    @Test("history lists the benchmark results naming an instance, with the list it is in")
    func history() throws {
        let store = try VerifiedStore()
        let id = "astropy__astropy-12907"
        let entries = try InstanceHistory.entries(of: id, log: store.log, projections: store.projections)
        #expect(entries.count == 9)
        for entry in entries {
            let stem = try #require(entry.event.stream.split(separator: "/").last.map(String.init))
            let report = try VerifiedStore.json(VerifiedStore.report(stem))
            let list = try #require(entry.list)
            #expect(report[list]?.arrayValue?.contains(.string(id)) == true)
        }
        #expect(throws: LogError.self) {
            try InstanceHistory.entries(of: "nobody__nothing-1", log: store.log, projections: store.projections)
        }
    }
}
