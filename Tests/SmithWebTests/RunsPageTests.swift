import SmithTestSupport
import SmithWeb
import Testing

/// The runs page keeps its per-run counts between requests (`WebStore.cachedQuery`): never past a catch-up.
@Suite struct RunsPageTests {
    static func id(_ i: Int) -> String { "pkg__repo.1234abcd.pr_\(i)" }

    @Test("trajectories recorded after the runs page was shown are counted on its next load")
    func countsFollowTheLog() throws {
        let t = try TemporaryStore()
        try t.append(SampleEvents.runStarted(name: "growing", subset: nil, instances: 5))
        try t.append((0..<2).map { SampleEvents.trajectoryProduced(run: "growing", instanceID: Self.id($0)) })
        let site = Site(store: try WebStore(log: t.log, location: t.location), pageSize: 50)
        let first = String(decoding: try site.respond(path: "/runs", query: nil).collectBody(), as: UTF8.self)
        #expect(first.contains("submitted 2"))
        // Shown again unchanged: the kept counts.
        let again = String(decoding: try site.respond(path: "/runs", query: nil).collectBody(), as: UTF8.self)
        #expect(again == first)

        try t.append((2..<5).map { SampleEvents.trajectoryProduced(run: "growing", instanceID: Self.id($0)) })
        let later = String(decoding: try site.respond(path: "/runs", query: nil).collectBody(), as: UTF8.self)
        #expect(later.contains("submitted 5"))
        #expect(!later.contains("submitted 2"))
    }
}
