import Foundation
import SmithDomain
import SmithJSON
import SmithProjections
import SmithStore
import Testing

@Suite("An event a projection cannot apply")
struct FailureRecoveryTests {
    /// A TrajectoryProduced payload, minus the fields named in `dropping`.
    private func trajectory(_ instance: String, dropping: Set<String> = [], schemaVersion: Int = 1) -> NewEvent {
        let full = PipelineEvents.trajectory(run: "r", instance: instance, cost: 0.5, steps: 4).value
        guard case .object(let pairs) = full else { fatalError() }
        return NewEvent(
            type: EventType.trajectoryProduced.rawValue, schemaVersion: schemaVersion, stream: StreamName.run("r"),
            payload: .object(pairs.filter { !dropping.contains($0.0) }))
    }

    @Test("stops there, names it, keeps what came before, and resumes from it")
    func stopsAndResumes() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try append(Array(PipelineEvents().batches[0...1]), to: log)
        let engine = try ProjectionEngine(store: dir.store, batchSize: 4)
        try engine.catchUp(log: log)
        let before = try log.lastSeq()
        try log.append([trajectory("a"), trajectory("b"), trajectory("c", dropping: ["steps"]), trajectory("d")])
        let badSeq = before + 3

        let error = try #require(throws: ProjectionError.self) { try engine.catchUp(log: log) }
        #expect(error.code == .cannotApply)
        #expect(error.event == EventReference(seq: badSeq, type: "TrajectoryProduced", stream: "run/r"))
        #expect(error.description.contains("event \(badSeq) (TrajectoryProduced, run/r)"))
        #expect(error.description.contains("required field 'steps' is missing"))
        #expect(error.description.contains("'runs' projection"))

        // Everything before it is committed, nothing after it is applied.
        #expect(try strings(engine, "SELECT instance_id FROM trajectories ORDER BY seq") == ["a", "b"])
        #expect(try count(engine, "SELECT count(*) FROM instances") == 12)
        let state = try engine.state()
        #expect(state.allSatisfy { $0.lastSeq == badSeq - 1 })
        let runs = try #require(state.first { $0.projection == "runs" })
        #expect(runs.stoppedAt == EventReference(seq: badSeq, type: "TrajectoryProduced", stream: "run/r"))
        #expect(runs.stoppedReason == "required field 'steps' is missing")
        #expect(
            try strings(engine, "SELECT stopped_reason FROM projection_state WHERE projection = 'runs'")
                == ["required field 'steps' is missing"])

        // The next catch-up (another process, say) resumes at that event: a re-applied `a` or `b` would fail
        // differently (their rows exist), so the same error proves it started from the stuck event.
        let reopened = try ProjectionEngine(store: dir.store)
        let again = try #require(throws: ProjectionError.self) { try reopened.catchUp(log: log) }
        #expect(again.event?.seq == badSeq)
        #expect(try strings(reopened, "SELECT instance_id FROM trajectories ORDER BY seq") == ["a", "b"])

        // The log was never touched.
        #expect(try log.lastSeq() == before + 4)
        #expect(try log.verify().isClean)
    }

    @Test("after a code change (an upcaster) the stuck event applies and the catch-up goes on")
    func upcasterUnsticks() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // An event in an older shape: schema version 0 called the step count `n_steps`.
        var old = trajectory("old", dropping: ["steps"], schemaVersion: 0)
        guard case .object(var pairs) = old.payload else { fatalError() }
        pairs.append(("n_steps", .int(7)))
        old.payload = .object(pairs)
        try log.append([trajectory("a"), old, trajectory("b")])

        let engine = try ProjectionEngine(store: dir.store)
        let error = try #require(throws: ProjectionError.self) { try engine.catchUp(log: log) }
        #expect(error.event?.seq == 2)
        #expect(error.description.contains("schema version 0 and there is no upcaster to version 1"))
        #expect(try engine.state().first { $0.projection == "runs" }?.stoppedAt?.seq == 2)

        var upcasters = Upcasters.standard
        upcasters.register(.trajectoryProduced, from: 0) { payload in
            guard case .object(let pairs) = payload else { return payload }
            return .object(pairs.map { $0.0 == "n_steps" ? ("steps", $0.1) : $0 })
        }
        let fixed = try ProjectionEngine(store: dir.store, upcasters: upcasters)
        let report = try fixed.catchUp(log: log)
        #expect(report.fromSeq == 2)
        #expect(report.lastAppliedSeq == 3)
        #expect(
            try strings(fixed, "SELECT instance_id || ':' || steps FROM trajectories ORDER BY seq")
                == ["a:4", "old:7", "b:4"])
        #expect(try fixed.state().allSatisfy { $0.stoppedAt == nil && $0.lastSeq == 3 })
    }

    @Test("an event written by a newer smithlog is not guessed at")
    func newerSchemaVersion() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([trajectory("future", schemaVersion: 2)])
        let engine = try ProjectionEngine(store: dir.store)
        let error = try #require(throws: ProjectionError.self) { try engine.catchUp(log: log) }
        #expect(error.code == .cannotApply)
        #expect(error.description.contains("newer than this smithlog knows"))
    }

    @Test("wrongly typed fields are named")
    func wrongType() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        var bad = trajectory("x")
        guard case .object(let pairs) = bad.payload else { fatalError() }
        bad.payload = .object(pairs.map { $0.0 == "steps" ? ("steps", .string("four")) : $0 })
        try log.append([bad])
        let error = try #require(throws: ProjectionError.self) {
            try ProjectionEngine(store: dir.store).catchUp(log: log)
        }
        #expect(error.description.contains("field 'steps' must be an integer, found a string"))
    }
}
