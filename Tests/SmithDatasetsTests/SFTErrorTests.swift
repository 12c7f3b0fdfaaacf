import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// Broken variants of a real trajectory, written to a temporary folder as a user's run would be.
enum BrokenTrajectory {
    static let source =
        "swe-smith/trajectories/pandas-dev__pandas.95280573.pr_53856/pandas-dev__pandas.95280573.pr_53856.traj"
    static let instanceId = "pandas-dev__pandas.95280573.pr_53856"

    /// The fixture with `edit` applied to the messages of its last step, saved and read back.
    static func bytes(editingSteps edit: (inout [JSONValue]) -> Void) throws -> [UInt8] {
        var document = try JSONParser.parse(try GoldenFiles.fixtureBytes(source))
        document = document.replacing("trajectory") { steps in
            var list = steps.arrayValue!
            edit(&list)
            return .array(list)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smithlog-sft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(instanceId).traj")
        try Data(PythonJSON.dumpBytes(document, indent: 2)).write(to: file)
        return [UInt8](try Data(contentsOf: file))
    }

    /// The fixture with `edit` applied to message `index` of the last step's `messages`.
    static func bytes(editingMessage index: Int, _ edit: @escaping (JSONValue) -> JSONValue) throws -> [UInt8] {
        try bytes { steps in
            steps[steps.count - 1] = steps[steps.count - 1].replacing("messages") { messages in
                var list = messages.arrayValue!
                list[index] = edit(list[index])
                return .array(list)
            }
        }
    }

    /// Index of the first message in the last step with `role`.
    static func firstMessage(role: String) throws -> Int {
        let document = try JSONParser.parse(try GoldenFiles.fixtureBytes(source))
        let messages = document["trajectory"]!.arrayValue!.last!["messages"]!.arrayValue!
        return messages.firstIndex { $0["role"]?.stringValue == role }!
    }
}

extension JSONValue {
    /// The object with the value under `key` replaced by `transform` of it (or added when absent).
    func replacing(_ key: String, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        var pairs = objectValue!
        if let i = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[i].1 = transform(pairs[i].1)
        } else {
            pairs.append((key, transform(.null)))
        }
        return .object(pairs)
    }

    func removing(_ key: String) -> JSONValue {
        .object(objectValue!.filter { $0.0 != key })
    }
}

@Suite("SFT errors: one clear error per broken trajectory")
struct SFTErrorTests {
    let xmlV1 = SFTTransform(version: .xmlV1, systemPrompt: GoldenFiles.systemPrompt)
    let xmlV2 = SFTTransform(version: .xmlV2, systemPrompt: GoldenFiles.systemPrompt)

    func error(_ transform: SFTTransform, _ bytes: [UInt8]) throws -> SFTError {
        do {
            _ = try transform.line(for: bytes, instanceId: BrokenTrajectory.instanceId)
        } catch {
            return error
        }
        Issue.record("expected an SFTError")
        throw CancellationError()
    }

    @Test("the fixture itself transforms (the variants below differ only in what they break)")
    func baseline() throws {
        let bytes = try BrokenTrajectory.bytes { _ in }
        for version in SFTTransformVersion.allCases where version.style != .mini {
            let transform = SFTTransform(version: version, systemPrompt: GoldenFiles.systemPrompt)
            #expect(throws: Never.self) { try transform.line(for: bytes, instanceId: BrokenTrajectory.instanceId) }
        }
    }

    @Test("a trajectory with no steps")
    func noSteps() throws {
        let bytes = try BrokenTrajectory.bytes { $0 = [] }
        for version in SFTTransformVersion.allCases where version.style != .mini {
            let e = try error(SFTTransform(version: version, systemPrompt: ""), bytes)
            #expect(e.kind == .noSteps)
            #expect(e.description == "$.trajectory: the trajectory has no steps")
        }
    }

    @Test("an assistant message without tool_calls fails xml-v1 only")
    func assistantWithoutToolCalls() throws {
        let index = try BrokenTrajectory.firstMessage(role: "assistant")
        let bytes = try BrokenTrajectory.bytes(editingMessage: index) { $0.removing("tool_calls") }
        let e = try error(xmlV1, bytes)
        #expect(e.kind == .missingToolCalls)
        #expect(e.path == "$.trajectory[-1].messages[\(index)]")
        #expect(e.description.contains("has no 'tool_calls' (xml-v1 requires them)"))
        // swesmith 0.0.9 keeps the thought alone.
        #expect(throws: Never.self) { try xmlV2.line(for: bytes, instanceId: "x") }
    }

    @Test("a tool call whose arguments are not JSON")
    func argumentsNotJSON() throws {
        let index = try BrokenTrajectory.firstMessage(role: "assistant")
        let bytes = try BrokenTrajectory.bytes(editingMessage: index) { message in
            message.replacing("tool_calls") { calls in
                var list = calls.arrayValue!
                list[0] = list[0].replacing("function") { $0.replacing("arguments") { _ in .string("{\"command\": ") } }
                return .array(list)
            }
        }
        for transform in [xmlV1, xmlV2] {
            let e = try error(transform, bytes)
            #expect(e.kind == .invalidArguments)
            #expect(e.path == "$.trajectory[-1].messages[\(index)].tool_calls[0].function.arguments")
            #expect(e.message.hasPrefix("arguments are not JSON: "))
        }
        // ticks and tool never parse the arguments.
        let ticks = SFTTransform(version: .ticksV2, systemPrompt: "")
        #expect(throws: Never.self) { try ticks.line(for: bytes, instanceId: "x") }
    }

    @Test("a one-part message list with two parts")
    func twoParts() throws {
        let document = try JSONParser.parse(try GoldenFiles.fixtureBytes(BrokenTrajectory.source))
        let messages = document["trajectory"]!.arrayValue!.last!["messages"]!.arrayValue!
        let index = messages.firstIndex { $0["role"]?.stringValue == "user" && $0["content"]?.arrayValue != nil }!
        let bytes = try BrokenTrajectory.bytes(editingMessage: index) { message in
            message.replacing("content") { content in .array(content.arrayValue! + content.arrayValue!) }
        }
        for version in [SFTTransformVersion.xmlV1, .xmlV2, .ticksV1, .ticksV2] {
            let e = try error(SFTTransform(version: version, systemPrompt: ""), bytes)
            #expect(e.kind == .notOnePart)
            #expect(
                e.description == "$.trajectory[-1].messages[\(index)].content: expected a one-part list, found 2 parts")
        }
    }

    @Test("bytes that are not JSON")
    func notJSON() throws {
        var bytes = try GoldenFiles.fixtureBytes(BrokenTrajectory.source)
        bytes.removeLast(10)
        let e = try error(xmlV2, bytes)
        #expect(e.kind == .invalidJSON)
        #expect(e.message.hasPrefix("not valid JSON: "))
    }

    @Test("a broken step before the last: full validation refuses it, stepsOnly does not look")
    func brokenEarlierStep() throws {
        let text = #"{"trajectory": [{"query": [], "observation": "bad \x escape"}, {"response": "r", "query": []}]}"#
        let bytes = Array(text.utf8)
        let e = try error(xmlV2, bytes)
        #expect(e.kind == .invalidJSON)
        #expect(e.path == "$.trajectory[0].observation")
        let line = try xmlV2.line(for: bytes, instanceId: "x", validation: .stepsOnly)
        #expect(line == Array(#"{"messages": [], "instance_id": "x"}"#.utf8) + [0x0A])
    }

    @Test("an escaped lone surrogate that would reach the line is refused, not replaced")
    func loneSurrogate() throws {
        let bytes = Array(
            #"{"trajectory": [{"response": "r", "query": [{"role": "user", "content": "a\ud800b"}]}]}"#.utf8)
        let e = try error(xmlV2, bytes)
        #expect(e.kind == .loneSurrogate)
        // The same escape where the line does not carry it is harmless.
        let elsewhere = Array(
            #"{"trajectory": [{"response": "\udc00", "query": [{"role": "user", "content": "ab"}]}]}"#.utf8)
        #expect(throws: Never.self) { try xmlV2.line(for: elsewhere, instanceId: "x") }
        // A proper pair is fine anywhere.
        let pair = Array(
            #"{"trajectory": [{"response": "r", "query": [{"role": "user", "content": "\ud83d\ude00"}]}]}"#.utf8)
        let line = try xmlV2.line(for: pair, instanceId: "x")
        #expect(String(decoding: line, as: UTF8.self).contains(#""content": "\ud83d\ude00""#))
    }

    @Test("errors name the version's rule: swesmith 0.0.9 needs a response and a step before an exit")
    func exitRule() throws {
        let lone = Array(#"{"trajectory": [{"response": "Exit due to cost limit", "query": []}]}"#.utf8)
        let e = try error(xmlV2, lone)
        #expect(e.kind == .noSteps)
        #expect(e.path == "$.trajectory[-2]")
        #expect(throws: Never.self) { try xmlV1.line(for: lone, instanceId: "x") }
        let noResponse = Array(#"{"trajectory": [{"query": []}]}"#.utf8)
        #expect(try error(xmlV2, noResponse).kind == .missingKey)
    }
}
