import SmithDomain
import SmithProjections
import SmithQueries
import SmithStore
import SmithTestSupport
import Testing

@Suite("compare reads the latest recording of a run version when some were replaced")
struct RunComparisonTests {
    static let x = "pkg__repo.1234abcd.pr_1"
    static let y = "pkg__repo.1234abcd.pr_2"

    /// Trajectory bytes of `run`'s recording of `instance`, told apart by `take`.
    static func trajectory(_ run: String, _ instance: String, take: Int) -> [UInt8] {
        Array(#"{"trajectory": [], "info": {"run": "\#(run)", "id": "\#(instance)", "take": \#(take)}}"#.utf8)
    }

    /// Two runs of instances x and y. run-a recorded x twice (the first recording is superseded) and its
    /// evaluation judged y twice (unresolved, then resolved: the first verdict is superseded); run-b resolved
    /// neither.
    static func store() throws -> TemporaryStore {
        let store = try TemporaryStore()
        for run in ["run-a", "run-b"] {
            try store.append(SampleEvents.runStarted(name: run, subset: nil, instances: 2))
        }
        func record(_ run: String, _ instance: String, take: Int) throws {
            let bytes = trajectory(run, instance, take: take)
            try store.append(
                SampleEvents.trajectoryProduced(
                    run: run, instanceID: instance, trajectory: SampleBlobs.digest(bytes)),
                blobs: [bytes])
        }
        try record("run-a", x, take: 1)
        try record("run-a", y, take: 1)
        try record("run-b", x, take: 1)
        try record("run-b", y, take: 1)
        try record("run-a", x, take: 2)
        for run in ["run-a", "run-b"] {
            try store.append(SampleEvents.evalRunStarted(name: "eval-" + run, ofRun: run + "@1"))
        }
        func verdict(_ run: String, _ instance: String, _ resolved: Bool) throws {
            // Each verdict its own report, so that a second verdict on an instance is a new event.
            let report = Array(#"{"\#(instance)": {"resolved": \#(resolved)}}"#.utf8)
            try store.append(
                SampleEvents.evalVerdictRecorded(
                    evalRun: "eval-" + run, instanceID: instance, resolved: resolved,
                    report: SampleBlobs.digest(report), ofRun: run + "@1", trajectory: nil),
                blobs: [report])
        }
        try verdict("run-a", x, true)
        try verdict("run-a", y, false)
        try verdict("run-a", y, true)
        try verdict("run-b", x, false)
        try verdict("run-b", y, false)
        return store
    }

    @Test("a superseded trajectory or verdict of the same run version loses to the later one")
    func latestWins() throws {
        let store = try Self.store()
        let projections = try ProjectionEngine(store: store.location)
        try projections.catchUp(log: store.log)
        let superseded = try projections.query(sql: "SELECT count(*) FROM superseded_trajectories").rows
        #expect(superseded.first?.first?.int64Value == 1)
        let replacedVerdicts = try projections.query(sql: "SELECT count(*) FROM superseded_verdicts").rows
        #expect(replacedVerdicts.first?.first?.int64Value == 1)

        let r = try RunComparison.compare("run-a", "run-b", log: store.log, projections: projections)
        #expect(r.a.resolved == [Self.x, Self.y])
        #expect(r.a.instances == [Self.x, Self.y])
        #expect(r.b.resolved.isEmpty)
        #expect(r.onlyA == [Self.x, Self.y])
        let latestX = SampleBlobs.digest(Self.trajectory("run-a", Self.x, take: 2)).hex
        let firstY = SampleBlobs.digest(Self.trajectory("run-a", Self.y, take: 1)).hex
        #expect(r.flips.map { $0.a?.sha256 } == [latestX, firstY])
        #expect(
            r.flips.map { $0.b?.sha256 }
                == [Self.x, Self.y].map { SampleBlobs.digest(Self.trajectory("run-b", $0, take: 1)).hex })
        #expect(r.flips.allSatisfy { $0.a?.run == "run-a@1" && $0.b?.run == "run-b@1" })
    }
}
