import Foundation
import SmithJSON
import SmithReaders
import Testing

/// mini-swe-agent trajectories and run folders: the real runs in Tests/Fixtures/mini-swe-agent (written by
/// mini-swe-agent 1.17.5 and 2.4.6) and small variants for what they lack.
@Suite("mini-swe-agent readers")
struct MiniSweAgentReaderTests {
    static let v1 = "mini-swe-agent/v1/run"
    static let v2 = "mini-swe-agent/v2/run"

    @Test("1.x trajectory (mini-swe-agent-1): the same summary fields a SWE-agent .traj fills")
    func oneX() throws {
        let t = try TrajectoryReader.read(atPath: Fixtures.path("\(Self.v1)/demo__calc-2/demo__calc-2.traj.json"))
        #expect(t.format == .mini1)
        #expect(t.scaffold == .miniSweAgent)
        #expect(t.instanceId == "demo__calc-2")
        #expect(t.exitStatus == "Submitted")
        #expect(t.submission?.hasPrefix("diff --git a/calc.py b/calc.py\n") == true)
        #expect(t.submission?.contains("+    return b + a\n") == true)
        #expect(t.modelStats.instanceCost == 2.0)
        #expect(t.modelStats.apiCalls == 2)
        #expect(t.modelStats.tokensSent == nil)
        #expect(t.stepCount == 2)
        #expect(t.historyCount == 6)
        #expect(t.miniVersion == "1.17.5")
        #expect(t.agentVersion == "1.17.5")
        #expect(t.sweAgentVersion == nil)
        #expect(t.modelName == "deterministic")
        #expect(
            t.info?["config"]?["environment_type"]?.stringValue == "minisweagent.environments.local.LocalEnvironment")
    }

    @Test("2.x trajectory (mini-swe-agent-1.1): tool calls, role tool, a final exit message")
    func twoX() throws {
        let t = try TrajectoryReader.read(atPath: Fixtures.path("\(Self.v2)/demo__calc-1/demo__calc-1.traj.json"))
        #expect(t.format == .mini1_1)
        #expect(t.scaffold == .miniSweAgent)
        #expect(t.instanceId == "demo__calc-1")
        #expect(t.exitStatus == "Submitted")
        #expect(t.submission?.contains("+    return a + b\n") == true)
        #expect(t.modelStats.instanceCost == 2.0)
        #expect(t.modelStats.apiCalls == 2)
        #expect(t.stepCount == 2)
        #expect(t.historyCount == 6)
        #expect(t.miniVersion == "2.4.6")
        #expect(t.modelName == "deterministic_toolcall")
    }

    @Test("2.x: the last message's extra stands in when info has no exit status or submission")
    func finalMessageExtra() throws {
        let json = """
            {"info": {"exit_status": "", "submission": "", "mini_version": "2.0.0"}, "messages": [
              {"role": "assistant", "content": null, "tool_calls": [], "extra": {"response": {"id": "x"}}},
              {"content": "<returncode>0</returncode>", "extra": {"returncode": 0}, "tool_call_id": "c", "role": "tool"},
              {"role": "exit", "content": "diff", "extra": {"exit_status": "Submitted", "submission": "diff\\n"}}],
             "trajectory_format": "mini-swe-agent-1.1"}
            """
        let t = try TrajectoryReader.read(bytes: Array(json.utf8), fileName: "out/x__y-1/x__y-1.traj.json")
        #expect(t.instanceId == "x__y-1")
        #expect(t.exitStatus == "Submitted")
        #expect(t.submission == "diff\n")
        #expect(t.stepCount == 1)
        #expect(t.modelName == nil)
    }

    @Test("an unknown trajectory_format and a file without messages are refused with their JSON path")
    func refusals() throws {
        let unknown = #"{"info": {}, "messages": [], "trajectory_format": "mini-swe-agent-9"}"#
        let e1 = #expect(throws: ReadError.self) {
            try TrajectoryReader.read(bytes: Array(unknown.utf8), fileName: "a.traj.json")
        }
        #expect(e1?.jsonPath == "$.trajectory_format")
        #expect(e1?.message.contains("expected mini-swe-agent-1 or mini-swe-agent-1.1") == true)
        let noMessages = #"{"info": {}, "trajectory_format": "mini-swe-agent-1"}"#
        let e2 = #expect(throws: ReadError.self) {
            try TrajectoryReader.read(bytes: Array(noMessages.utf8), fileName: "a.traj.json")
        }
        #expect(e2?.message.contains("keys info, messages, trajectory_format") == true)
        let badRole = #"{"messages": [{"role": 3}], "trajectory_format": "mini-swe-agent-1"}"#
        let e3 = #expect(throws: ReadError.self) {
            try TrajectoryReader.read(bytes: Array(badRole.utf8), fileName: "a.traj.json")
        }
        #expect(e3?.jsonPath == "$.messages[0].role")
    }

    @Test("a SWE-agent trajectory names its model through replay_config")
    func sweAgentModel() throws {
        let t = try TrajectoryReader.read(atPath: Fixtures.path(Fixtures.sweSmithTrajectory))
        #expect(t.scaffold == .sweAgent)
        #expect(t.modelName == "claude-3-7-sonnet-20250219")
    }

    @Test("run folder: <id>/<id>.traj.json, preds.json, exit-status files merged (the later supersedes)")
    func runFolder() throws {
        for folder in [Self.v1, Self.v2] {
            let run = try RunFolderReader.read(atPath: Fixtures.path(folder))
            #expect(run.scaffold == .miniSweAgent)
            #expect(run.layout == .perInstanceFolders)
            #expect(run.trajectories.map(\.instanceId) == ["demo__calc-1", "demo__calc-2"])
            #expect(run.problems.isEmpty)
            #expect(run.modelName == nil)
            #expect(run.predictions?.map(\.instanceId).sorted() == ["demo__calc-1", "demo__calc-2"])
            #expect(run.exitStatusesPaths.count == 2)
            #expect(run.exitStatusesPath == run.exitStatusesPaths.last)
            let statuses = try #require(run.exitStatuses)
            #expect(statuses.status(of: "demo__calc-1") == "Submitted")
            #expect(statuses.status(of: "demo__calc-2") == "Submitted")
            #expect(!statuses.instancesByStatus.contains { $0.status == "LimitsExceeded" })
        }
    }

    @Test("exit-status files are ordered by the time in their names, not by their text")
    func exitStatusOrder() throws {
        let dir = TempDir()
        dir.copy(
            fixture: "\(Self.v1)/demo__calc-1/demo__calc-1.traj.json", to: "run/demo__calc-1/demo__calc-1.traj.json")
        // 999.5 sorts after 1000.25 as text; by time it is the earlier one.
        dir.write("run/exit_statuses_1000.25.yaml", "instances_by_exit_status:\n    Submitted:\n    - demo__calc-1\n")
        dir.write(
            "run/exit_statuses_999.5.yaml", "instances_by_exit_status:\n    LimitsExceeded:\n    - demo__calc-1\n")
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(
            run.exitStatusesPaths.map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "exit_statuses_999.5.yaml", "exit_statuses_1000.25.yaml",
            ])
        #expect(run.exitStatuses?.status(of: "demo__calc-1") == "Submitted")
    }

    @Test("each trajectory gets its place in the order the file system lists the run folder")
    func listingPositions() throws {
        let dir = TempDir()
        let ids = ["c__c-3", "a__a-1", "d__d-4", "b__b-2", "e__e-5"]
        for id in ids {
            dir.copy(fixture: "\(Self.v1)/demo__calc-1/demo__calc-1.traj.json", to: "run/\(id)/\(id).traj.json")
        }
        dir.write("run/preds.json", "{}")
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(run.trajectories.map(\.instanceId) == ids.sorted())
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/run").filter(ids.contains)
        let byPosition = run.trajectories.sorted { ($0.listingPosition ?? -1) < ($1.listingPosition ?? -1) }
        #expect(byPosition.map(\.instanceId) == listed)
        #expect(run.trajectories.compactMap(\.listingPosition).sorted() == Array(0..<ids.count))
    }
}
