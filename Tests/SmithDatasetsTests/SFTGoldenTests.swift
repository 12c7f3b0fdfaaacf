import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// One trajectory x version from `Golden/sft/cases.json`.
struct SFTGoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var instanceId: String
    var version: String
    /// The golden line's file, or nil when the reference raised.
    var output: String?
    /// The reference's exception, `KeyError: 'query'`.
    var error: String?

    var testDescription: String { "\(name) \(version)" }

    static let all: [SFTGoldenCase] = {
        let cases = try! GoldenFiles.json("sft/cases.json")
        return cases.arrayValue!.map { c in
            SFTGoldenCase(
                name: c["name"]!.stringValue!, input: c["input"]!.stringValue!,
                instanceId: c["instance_id"]!.stringValue!, version: c["version"]!.stringValue!,
                output: c["output"]?.stringValue, error: c["error"]?.stringValue)
        }
    }()

    func trajectoryBytes() throws -> [UInt8] {
        if input.hasPrefix("fixtures:") { return try GoldenFiles.fixtureBytes(String(input.dropFirst(9))) }
        return try GoldenFiles.bytes("sft/" + input)
    }
}

@Suite("SFT transforms against the reference's golden lines")
struct SFTGoldenTests {
    @Test(
        "every fixture and synthetic trajectory, every version, both validations",
        arguments: SFTGoldenCase.all, [SFTValidation.full, .stepsOnly])
    func goldenLine(_ c: SFTGoldenCase, validation: SFTValidation) throws {
        let version = try #require(SFTTransformVersion(rawValue: c.version))
        let transform = SFTTransform(version: version, systemPrompt: GoldenFiles.systemPrompt)
        let trajectory = try c.trajectoryBytes()
        if let output = c.output {
            let expected = try GoldenFiles.bytes("sft/" + output)
            let got = try transform.line(for: trajectory, instanceId: c.instanceId, validation: validation)
            #expect(got == expected, "\(firstDifference(got, expected))")
        } else {
            #expect(throws: SFTError.self, "the reference raised \(c.error ?? "")") {
                try transform.line(for: trajectory, instanceId: c.instanceId, validation: validation)
            }
        }
    }

    @Test(
        "the parsed-document entry point gives the same lines",
        arguments: SFTGoldenCase.all.filter {
            $0.output != nil
        })
    func documentEntryPoint(_ c: SFTGoldenCase) throws {
        let version = try #require(SFTTransformVersion(rawValue: c.version))
        let transform = SFTTransform(version: version, systemPrompt: GoldenFiles.systemPrompt)
        let document = try JSONParser.parse(try c.trajectoryBytes())
        let got = try transform.line(for: document, instanceId: c.instanceId)
        #expect(got == (try GoldenFiles.bytes("sft/" + c.output!)))
    }

    @Test("the golden set covers every fixture trajectory and every version")
    func coverage() throws {
        let fixtures = FileManager.default.enumerator(atPath: GoldenFiles.fixtures.path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".traj") }
        let covered = Set(SFTGoldenCase.all.map(\.input))
        for path in fixtures { #expect(covered.contains("fixtures:" + path), "\(path) has no golden case") }
        // mini-v1 reads mini-swe-agent trajectories: its golden cases are Golden/mini (MiniTransformTests).
        #expect(
            Set(SFTGoldenCase.all.map(\.version))
                == Set(SFTTransformVersion.allCases.map(\.rawValue)).subtracting(["mini-v1"]))
        #expect(SFTGoldenCase.all.filter { $0.output != nil }.count > 40)
    }
}
