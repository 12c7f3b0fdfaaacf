import Foundation
import SmithDomain
import SmithJSON
import SmithProjections
import SmithQueries
import SmithReaders
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
        for stem in try Self.stems() { try Self.record(stem, log: log) }
        try projections.catchUp(log: log)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The submissions' file stems: `<stem>.verified.json`, the names claimed.json uses.
    static func stems() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".verified.json") }
            .map { String($0.dropLast(".verified.json".count)) }.sorted()
    }

    static func report(_ stem: String) -> String { fixtures + "/" + stem + ".verified.json" }

    /// Records a submission's report as `bench record` does: a BenchmarkEvaluated of the full 500, with the
    /// report and its id lists as blobs.
    static func record(_ stem: String, as name: String? = nil, log: EventLog) throws {
        let path = report(stem)
        let summary = try EvalReportReader.readSummary(atPath: path)
        let lists: [(String, [String])] = [
            ("resolved_ids", summary.resolvedIds), ("unresolved_ids", summary.unresolvedIds),
            ("error_ids", summary.errorIds), ("empty_patch_ids", summary.emptyPatchIds),
            ("incomplete_ids", summary.incompleteIds), ("submitted_ids", summary.submittedIds),
        ]
        let reportBlob = PreparedBlob([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let idsBlob = PreparedBlob(
            PythonJSON.dumpBytes(.object(lists.map { ($0.0, .array($0.1.map(JSONValue.string))) })))
        let result = BenchmarkEvaluated(
            name: name ?? stem, benchmark: "swe-bench_verified", split: "test", model: stem, checkpoint: nil,
            total: 500, submitted: summary.submitted ?? summary.submittedIds.count, resolved: summary.resolved,
            unresolved: summary.unresolved ?? summary.unresolvedIds.count,
            error: summary.errors ?? summary.errorIds.count,
            emptyPatch: summary.emptyPatch ?? summary.emptyPatchIds.count,
            incomplete: summary.incomplete ?? summary.incompleteIds.count,
            reportFormat: summary.kind == .sbCli ? "sb-cli" : "swe-bench-v2", report: reportBlob.digest,
            ids: idsBlob.digest)
        try log.append([try result.newEvent()], blobs: [reportBlob, idsBlob])
    }

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

    @Test("benchmark_instances: each result's instances once, in the first of its lists naming them; rebuilt alike")
    func benchmarkInstances() throws {
        let store = try VerifiedStore()
        func rows() throws -> [[SQLValue]] {
            try store.projections.query(
                sql: "SELECT seq, instance_id, list FROM benchmark_instances ORDER BY seq, instance_id"
            ).rows
        }
        let before = try rows()
        let results = try store.log.events(of: BenchmarkEvaluated.self)
        #expect(!results.isEmpty)
        var expected = 0
        for (record, result) in results {
            let lists = try #require(try JSONParser.parse(try store.log.blob(result.ids)).objectValue)
            var first: [String: String] = [:]
            for (list, ids) in lists {
                for case .string(let id) in ids.arrayValue ?? [] where first[id] == nil { first[id] = list }
            }
            expected += first.count
            let mine = before.filter { $0[0].int64Value == Int64(record.seq) }
            #expect(mine.count == first.count)
            for row in mine {
                let id = try #require(row[1].stringValue)
                #expect(row[2].stringValue == first[id])
            }
        }
        #expect(before.count == expected)
        try store.projections.rebuild(log: store.log)
        #expect(try rows() == before)
    }

    @Test("a retracted result leaves the leaderboard (table, json, csv, markdown); --include-retracted marks it")
    func retractedResult() throws {
        let store = try VerifiedStore()
        let gone = "20250726_mini-v1.0.0_gemini-2.5-pro"
        let before = try store.log.lastSeq()
        try store.log.append([
            try Retracted(kind: .bench, name: gone, version: 1, reason: "scored on the wrong split").newEvent()
        ])
        #expect(try store.log.lastSeq() == before + 1)
        try store.projections.catchUp(log: store.log)
        let rows = try Leaderboard.rows(benchmark: nil, projections: store.projections)
        #expect(rows.count == 8)
        #expect(!rows.contains { $0.name == gone })
        #expect(rows.first?.rank == 1)
        for text in [
            try Leaderboard.table(rows).text, Leaderboard.csv(rows), Leaderboard.markdown(rows),
            PythonJSON.dumps(.array(rows.map(\.json))),
        ] {
            #expect(!text.contains(gone))
        }
        let all = try Leaderboard.rows(benchmark: nil, includeRetracted: true, projections: store.projections)
        #expect(all.count == 9)
        let marked = try #require(all.first { $0.name == gone })
        #expect(marked.retracted == "scored on the wrong split")
        let table = try Leaderboard.table(all).text
        #expect(table.contains("retracted") && table.contains("scored on the wrong split"))
        // Lineage still shows it, marked; compare refuses it as a candidate (not found: exit 3).
        let tree = try Lineage.tree(for: gone, projections: store.projections)
        #expect(tree.retracted == "scored on the wrong split")
        #expect(try Lineage.text(tree).contains("\(gone)@1"))
        #expect(try Lineage.text(tree).contains("retracted: scored on the wrong split"))
        #expect(tree.json["retracted"] == .string("scored on the wrong split"))
        let error = try #require(throws: NameError.self) {
            try RunComparison.compare(
                gone, "20250802_mini-v1.0.0_claude-4-opus-20250514", log: store.log, projections: store.projections)
        }
        #expect(error.code == .notFound)
        // History marks the result's entry.
        let entries = try InstanceHistory.entries(
            of: "astropy__astropy-12907", log: store.log, projections: store.projections)
        #expect(entries.filter { $0.retracted != nil }.map(\.event.stream) == ["benchmark/" + gone])
    }

    @Test("a re-recorded result is version 2; NAME@1 still names the first, and unknown names are not found")
    func versions() throws {
        let store = try VerifiedStore()
        let name = "20250726_mini-v1.0.0_gemini-2.5-pro"
        try VerifiedStore.record("20250802_mini-v1.0.0_claude-4-opus-20250514", as: name, log: store.log)
        try store.projections.catchUp(log: store.log)
        let rows = try Leaderboard.rows(benchmark: nil, projections: store.projections)
        #expect(rows.count == 9)
        let latest = try #require(rows.first { $0.name == name })
        #expect(latest.version == 2 && latest.model == "20250802_mini-v1.0.0_claude-4-opus-20250514")
        #expect(
            try Lineage.tree(for: name + "@1", projections: store.projections).details.contains {
                $0.0 == "resolved" && $0.1 == .int(268)
            })
        let r = try RunComparison.compare(
            name + "@1", name, log: store.log, projections: store.projections)
        #expect(r.a.name == name + "@1" && r.b.name == name + "@2")
        for missing in ["nobody", name + "@3"] {
            let error = try #require(throws: NameError.self) {
                try Lineage.tree(for: missing, projections: store.projections)
            }
            #expect(error.code == .notFound)
        }
    }

    @Test("a store holding an event no projection can apply still answers leaderboard and sql, once warned")
    func poisonedStore() throws {
        let store = try VerifiedStore()
        // Appended with the raw Store API, past validation: an empty instance id and a payload missing a field.
        let row = PreparedBlob(Array(#"{"instance_id": ""}"#.utf8))
        try store.log.append(
            [
                NewEvent(
                    type: EventType.instanceRegistered.rawValue, schemaVersion: 2, stream: StreamName.instance(""),
                    payload: .object([
                        ("dataset", .string("d")), ("position", .int(0)), ("repo", .null), ("bug_type", .string("pr")),
                        ("f2p_count", .int(0)), ("p2p_count", .int(0)), ("image_name", .null), ("created_at", .null),
                    ]), blobs: [row.digest]),
                NewEvent(
                    type: EventType.benchmarkEvaluated.rawValue, stream: StreamName.benchmark("broken"),
                    payload: .object([("name", .string("broken"))])),
            ], blobs: [row])
        let report = try store.projections.catchUp(log: store.log)
        #expect(report.skipped.count == 2)
        #expect(try Leaderboard.rows(benchmark: nil, projections: store.projections).count == 9)
        #expect(try store.projections.query(sql: "SELECT count(*) FROM benchmark_results").rows == [[.integer(9)]])
        let skipped = try store.projections.skippedEvents()
        #expect(skipped.map(\.event.type) == ["InstanceRegistered", "BenchmarkEvaluated"])
        #expect(skipped[1].reason.contains("required field 'benchmark' is missing"))
        let warning = try #require(try SkippedWarning.line(store.projections))
        #expect(warning.hasPrefix("warning: 2 events could not be applied (seq \(skipped[0].event.seq): "))
        #expect(warning.hasSuffix("see smithlog verify"))
        // Listed once: a second catch-up and a rebuild record nothing new.
        #expect(try store.projections.catchUp(log: store.log).skipped.isEmpty)
        #expect(try store.projections.skippedEvents().count == 2)
        let rebuilt = try store.projections.rebuild(log: store.log)
        #expect(rebuilt.skipped.count == 2)
        #expect(try store.projections.skippedEvents() == skipped)
        #expect(try Leaderboard.rows(benchmark: nil, projections: store.projections).count == 9)
    }
}
