import SmithJSON
import SmithReaders
import Testing

/// What Python's `json.load` says about each fixture trajectory (computed once, written down here).
struct ExpectedTrajectory: Sendable, CustomStringConvertible {
    var file: String
    var instanceId: String
    var format: TrajectoryFormat
    var steps: Int
    var history: Int
    var exit: String?
    var cost: Double?
    var sent: Int?
    var received: Int?
    var calls: Int?
    var patchBytes: Int?
    var replay: Bool

    var description: String { file }
}

private let demo = "swe-agent/demonstrations/replay__marshmallow-code__marshmallow-1867__"
private let marshmallow = "marshmallow-code__marshmallow-1867"
private let expectedTrajectories: [ExpectedTrajectory] = [
    .init(
        file: "swe-agent/demonstrations/function_calling_simple.traj", instanceId: "function_calling_simple",
        format: .historyOnly, steps: 0, history: 12, exit: nil, cost: nil, sent: nil, received: nil, calls: nil,
        patchBytes: nil, replay: false),
    .init(
        file: demo + "default__t-0.20__p-0.95__c-2.00__install-1___install_from_source/\(marshmallow).traj",
        instanceId: marshmallow, format: .pre1, steps: 14, history: 29, exit: "submitted", cost: 0, sent: 0,
        received: 0, calls: 0, patchBytes: 564, replay: false),
    .init(
        file: demo + "default_sys-env_cursors_window100__t-0.20__p-0.95__c-2.00__install-1/\(marshmallow).traj",
        instanceId: marshmallow, format: .pre1, steps: 12, history: 25, exit: "submitted", cost: 0, sent: 0,
        received: 0, calls: 0, patchBytes: 564, replay: false),
    .init(
        file: demo + "default_sys-env_window100__t-0.20__p-0.95__c-2.00__install-1/\(marshmallow).traj",
        instanceId: marshmallow, format: .pre1, steps: 11, history: 23, exit: "submitted", cost: 0, sent: 0,
        received: 0, calls: 0, patchBytes: 564, replay: true),
    .init(
        file: demo + "function_calling__install-1/\(marshmallow).traj", instanceId: marshmallow, format: .pre1,
        steps: 11, history: 24, exit: "submitted", cost: 0, sent: 0, received: 0, calls: 11, patchBytes: 578,
        replay: true),
    .init(
        file: demo + "function_calling_replace__install-1/\(marshmallow).traj", instanceId: marshmallow,
        format: .pre1, steps: 11, history: 24, exit: "submitted", cost: 0, sent: 0, received: 0, calls: 11,
        patchBytes: 587, replay: true),
    .init(
        file: demo + "function_calling_replace_from_source/\(marshmallow).traj", instanceId: marshmallow,
        format: .messages, steps: 13, history: 28, exit: "submitted", cost: 0, sent: 0, received: 0, calls: 13,
        patchBytes: 587, replay: true),
    .init(
        file: demo + "xml_sys-env_cursors_window100__t-0.20__p-0.95__c-2.00__install-1/\(marshmallow).traj",
        instanceId: marshmallow, format: .pre1, steps: 12, history: 25, exit: "submitted", cost: 0, sent: 0,
        received: 0, calls: 0, patchBytes: 564, replay: false),
    .init(
        file: demo + "xml_sys-env_window100__t-0.20__p-0.95__c-2.00__install-1/\(marshmallow).traj",
        instanceId: marshmallow, format: .pre1, steps: 11, history: 23, exit: "submitted", cost: 0, sent: 0,
        received: 0, calls: 0, patchBytes: 564, replay: true),
    .init(
        file: "swe-agent/trajectories/gpt4__swe-agent-test-repo__default_from_url__t-0.00__p-0.95__c-3.00__install-1/"
            + "6e44b9__sweagenttestrepo-1c2844.traj",
        instanceId: "6e44b9__sweagenttestrepo-1c2844", format: .pre1, steps: 5, history: 10, exit: "submitted",
        cost: 0.019520000000000006, sent: 7141, received: 243, calls: 5, patchBytes: 315, replay: true),
    .init(
        file: "swe-agent/trajectories/gpt4__swe-agent__test-repo__default_from_url__t-0.00__p-0.95__c-3.00__install-1/"
            + "swe-agent__test-repo-i1.traj",
        instanceId: "swe-agent__test-repo-i1", format: .pre1, steps: 5, history: 12, exit: "submitted",
        cost: 0.53839, sent: 52861, received: 326, calls: 5, patchBytes: 301, replay: false),
    .init(
        file: "swe-agent/trajectories/gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1/"
            + "pydicom__pydicom-1458.traj",
        instanceId: "pydicom__pydicom-1458", format: .pre1, steps: 12, history: 26, exit: "submitted",
        cost: 1.26719, sent: 122612, received: 1369, calls: 12, patchBytes: 803, replay: false),
    .init(
        file: Fixtures.sweSmithTrajectory, instanceId: "pandas-dev__pandas.95280573.pr_53856", format: .messages,
        steps: 17, history: 36, exit: "submitted", cost: 0.24830985, sent: 157229, received: 797, calls: 17,
        patchBytes: 866, replay: true),
    .init(
        file: "synthetic/swe-agent-1.1/pandas-dev__pandas.95280573.pr_53856.traj",
        instanceId: "pandas-dev__pandas.95280573.pr_53856", format: .query, steps: 4, history: 10, exit: "exit_cost",
        cost: 0.24830985, sent: 157229, received: 797, calls: 4, patchBytes: 866, replay: true),
]

@Suite("TrajectoryReader")
struct TrajectoryReaderTests {
    @Test("every fixture trajectory is listed here")
    func everyFixtureIsCovered() {
        let listed = Set(expectedTrajectories.map(\.file))
        for file in Fixtures.files(endingWith: ".traj") {
            #expect(listed.contains(file), "no expectation for \(file)")
        }
    }

    @Test("reads each fixture with the right format and stats", arguments: expectedTrajectories)
    func readsFixture(_ expected: ExpectedTrajectory) throws {
        let summary = try TrajectoryReader.read(atPath: Fixtures.path(expected.file))
        #expect(summary.instanceId == expected.instanceId)
        #expect(summary.format == expected.format)
        #expect(summary.stepCount == expected.steps)
        #expect(summary.historyCount == expected.history)
        #expect(summary.exitStatus == expected.exit)
        #expect(summary.modelStats.instanceCost == expected.cost)
        #expect(summary.modelStats.tokensSent == expected.sent)
        #expect(summary.modelStats.tokensReceived == expected.received)
        #expect(summary.modelStats.apiCalls == expected.calls)
        #expect(summary.submission?.utf8.count == expected.patchBytes)
        #expect((summary.replayConfig != nil) == expected.replay)
        if let replay = summary.replayConfig {
            guard case .object = replay else {
                Issue.record("replay_config should parse to an object")
                return
            }
        }
    }

    @Test("SWE-agent 1.0.1 trajectory carries its versions and a replay config parsed from a string")
    func sweSmithTrajectoryDetails() throws {
        let summary = try TrajectoryReader.read(atPath: Fixtures.path(Fixtures.sweSmithTrajectory))
        #expect(summary.sweAgentVersion == "1.0.1")
        #expect(summary.sweAgentHash == "2418998d51ac08c22f23751f1a238d7ec19eb6e5")
        #expect(summary.sweRexVersion == "1.2.1")
        #expect(summary.sweRexHash == "unavailable")
        #expect(summary.environment == "pandas-dev__pandas.95280573.pr_53856")
        #expect(summary.editedFiles30 != nil && summary.editedFiles50 != nil && summary.editedFiles70 != nil)
        #expect(summary.submission?.hasPrefix("diff --git") == true)
        // The replay config is the run config; its key order is kept from the JSON string.
        let replay = try #require(summary.replayConfig)
        #expect(replay.objectValue?.first?.0 == "env")
        #expect(replay["env"]?["deployment"]?["image"]?.stringValue == "swesmith.x86_64.pandas-dev__pandas.95280573")
    }

    @Test("pre-1.0 files have no version fields and keep total_cost")
    func preOneDetails() throws {
        let summary = try TrajectoryReader.read(atPath: Fixtures.path(expectedTrajectories[11].file))
        #expect(summary.sweAgentVersion == nil)
        #expect(summary.modelStats.totalCost == 1.26719)
        #expect(summary.environment == "swe_main")
    }

    @Test("bytes in memory read the same as the file")
    func readsBytes() throws {
        let path = Fixtures.path(Fixtures.sweSmithTrajectory)
        let fromFile = try TrajectoryReader.read(atPath: path)
        let fromBytes = try TrajectoryReader.read(
            bytes: readBytes(path), fileName: "x/pandas-dev__pandas.95280573.pr_53856.traj")
        #expect(fromFile == fromBytes)
    }

    @Test("replay_config may be absent, a string or an object")
    func replayConfigForms() throws {
        let dir = TempDir()
        let asString = dir.write("a.traj", #"{"trajectory": [], "info": {}, "replay_config": "{\"b\": 1, \"a\": 2}"}"#)
        let asObject = dir.write("b.traj", #"{"trajectory": [], "info": {}, "replay_config": {"b": 1, "a": 2}}"#)
        let absent = dir.write("c.traj", #"{"trajectory": [], "info": {}}"#)
        let expected: JSONValue = .object([("b", .number("1")), ("a", .number("2"))])
        #expect(try TrajectoryReader.read(atPath: asString).replayConfig == expected)
        #expect(try TrajectoryReader.read(atPath: asObject).replayConfig == expected)
        #expect(try TrajectoryReader.read(atPath: absent).replayConfig == nil)
    }

    @Test("a file without steps takes its format from info.swe_agent_version")
    func emptyTrajectoryFormat() throws {
        let dir = TempDir()
        let v11 = dir.write("a.traj", #"{"trajectory": [], "info": {"swe_agent_version": "1.1.0"}}"#)
        let v10 = dir.write("b.traj", #"{"trajectory": [], "info": {"swe_agent_version": "1.0.1"}}"#)
        let none = dir.write("c.traj", #"{"trajectory": [], "history": []}"#)
        #expect(try TrajectoryReader.read(atPath: v11).format == .query)
        #expect(try TrajectoryReader.read(atPath: v10).format == .messages)
        #expect(try TrajectoryReader.read(atPath: none).format == .pre1)
    }

    @Test("the instance id falls back to the environment when the file is not <id>.traj")
    func instanceIdFallback() throws {
        let dir = TempDir()
        let path = dir.write("dump.json", #"{"trajectory": [], "environment": "owner__repo-1"}"#)
        #expect(try TrajectoryReader.read(atPath: path).instanceId == "owner__repo-1")
    }

    @Test("wrong shapes are ReadErrors naming the JSON path")
    func wrongShapes() {
        let dir = TempDir()
        let cases: [(String, String, String)] = [
            (
                #"{"info": {"model_stats": {"tokens_sent": "abc"}}, "trajectory": []}"#,
                "$.info.model_stats.tokens_sent", #"expected an integer, found "abc""#
            ),
            (#"{"trajectory": {}}"#, "$.trajectory", "expected a list of steps, found an object"),
            (#"{"trajectory": [1]}"#, "$.trajectory[0]", "expected a step (an object), found the number 1"),
            (#"{"history": "x"}"#, "$.history", #"expected a list of messages, found "x""#),
            (#"{"foo": 1}"#, "$", "expected a SWE-agent trajectory"),
            (#"[1, 2]"#, "$", "expected a SWE-agent trajectory (a JSON object), found an array"),
            (#"{"trajectory": [], "replay_config": "{nope"}"#, "$.replay_config", "not JSON"),
            (#"{"trajectory": [], "replay_config": 3}"#, "$.replay_config", "expected a JSON string or an object"),
            (#"{"trajectory": [], "info": {"exit_status": 7}}"#, "$.info.exit_status", "expected a string or null"),
            (#"{"trajectory": [], "info": {"submission": [1]}}"#, "$.info.submission", "expected a patch string"),
        ]
        for (i, (json, jsonPath, message)) in cases.enumerated() {
            let path = dir.write("case\(i).traj", json)
            let error = #expect(throws: ReadError.self) { try TrajectoryReader.read(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.jsonPath == jsonPath, "\(json)")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }

    @Test("the error description is one line: file, JSON path, message")
    func errorDescription() {
        let dir = TempDir()
        let path = dir.write("run1/x.traj", #"{"trajectory": [], "info": {"model_stats": {"tokens_sent": "abc"}}}"#)
        let error = #expect(throws: ReadError.self) { try TrajectoryReader.read(atPath: path) }
        #expect(error?.description == #"\#(path): $.info.model_stats.tokens_sent: expected an integer, found "abc""#)
    }
}
