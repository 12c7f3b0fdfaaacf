import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// One trajectory from `Golden/mini/cases.json` (written by tools/golden/mini_sft.py).
struct MiniGoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var instanceId: String
    /// The golden line's file, or nil when the script refused the trajectory.
    var output: String?
    var error: String?

    var testDescription: String { name }

    static let all: [MiniGoldenCase] = {
        let cases = try! GoldenFiles.json("mini/cases.json")
        return cases.arrayValue!.map { c in
            MiniGoldenCase(
                name: c["name"]!.stringValue!, input: c["input"]!.stringValue!,
                instanceId: c["instance_id"]!.stringValue!, output: c["output"]?.stringValue,
                error: c["error"]?.stringValue)
        }
    }()

    func trajectoryBytes() throws -> [UInt8] {
        if input.hasPrefix("fixtures:") { return try GoldenFiles.fixtureBytes(String(input.dropFirst(9))) }
        return try GoldenFiles.bytes("mini/" + input)
    }
}

@Suite("mini-v1 transform against tools/golden/mini_sft.py")
struct MiniTransformTests {
    let transform = SFTTransform(version: .miniV1, systemPrompt: "")

    @Test("the real 1.x and 2.x trajectories and every synthetic case, byte for byte", arguments: MiniGoldenCase.all)
    func goldenLine(_ c: MiniGoldenCase) throws {
        let trajectory = try c.trajectoryBytes()
        if let output = c.output {
            let expected = try GoldenFiles.bytes("mini/" + output)
            let got = try transform.line(for: trajectory, instanceId: c.instanceId)
            #expect(got == expected, "\(firstDifference(got, expected))")
            let parsed = try transform.line(for: JSONParser.parse(trajectory), instanceId: c.instanceId)
            #expect(parsed == expected, "\(firstDifference(parsed, expected))")
        } else {
            #expect(throws: SFTError.self, "the script refused it: \(c.error ?? "")") {
                try transform.line(for: trajectory, instanceId: c.instanceId)
            }
        }
    }

    @Test("both real trajectories are covered, and the golden set holds refusals")
    func coverage() {
        let names = Set(MiniGoldenCase.all.map(\.name))
        #expect(
            names.isSuperset(of: ["fixture.v1.demo__calc-1", "fixture.v2.demo__calc-1", "fixture.v2.demo__calc-2"]))
        #expect(MiniGoldenCase.all.contains { $0.output == nil })
    }

    @Test("2.x keeps tool_calls and tool_call_id, drops extra and the exit message")
    func toolCallsKept() throws {
        let bytes = try GoldenFiles.fixtureBytes("mini-swe-agent/v2/run/demo__calc-1/demo__calc-1.traj.json")
        let line = try transform.line(for: bytes, instanceId: "demo__calc-1")
        let messages = try #require(try JSONParser.parse(line)["messages"]?.arrayValue)
        #expect(messages.last?["role"] == .string("assistant"))
        #expect(messages.contains { $0["tool_call_id"] != nil })
        #expect(messages.allSatisfy { $0["extra"] == nil })
        #expect(SFTTransformVersion.miniV1.style == .mini)
    }

    @Test("an SWE-agent trajectory is refused in one line naming trajectory_format")
    func sweAgentRefused() throws {
        let bytes = try GoldenFiles.fixtureBytes(
            "swe-smith/trajectories/pandas-dev__pandas.95280573.pr_53856/pandas-dev__pandas.95280573.pr_53856.traj")
        let error = #expect(throws: SFTError.self) { try transform.line(for: bytes, instanceId: "x") }
        #expect(error?.path == "$.trajectory_format")
    }
}
