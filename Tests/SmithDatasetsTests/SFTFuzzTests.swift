import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// Differential check against a corpus written by `tools/golden/sft_fuzz.py` (needs Python, so it
/// only runs when `SMITHLOG_SFT_FUZZ_DIR` names such a corpus).
@Suite("SFT differential fuzz corpus")
struct SFTFuzzTests {
    static let directory = ProcessInfo.processInfo.environment["SMITHLOG_SFT_FUZZ_DIR"]

    @Test(
        "every random trajectory gives the reference's line or an error where it raised",
        .enabled(if: directory != nil))
    func corpus() throws {
        let dir = URL(fileURLWithPath: Self.directory!)
        let cases = try JSONParser.parse([UInt8](try Data(contentsOf: dir.appendingPathComponent("cases.json"))))
        var mismatches: [String] = []
        var lines = 0
        for c in cases.arrayValue! {
            let name = c["name"]!.stringValue!
            let version = SFTTransformVersion(rawValue: c["version"]!.stringValue!)!
            let traj = [UInt8](try Data(contentsOf: dir.appendingPathComponent("\(name).traj")))
            let transform = SFTTransform(version: version, systemPrompt: GoldenFiles.systemPrompt)
            let result = Result { () throws(SFTError) in try transform.line(for: traj, instanceId: name) }
            // The structural path must agree on valid JSON, which is all the corpus holds.
            let quick = Result { () throws(SFTError) in
                try transform.line(for: traj, instanceId: name, validation: .stepsOnly)
            }
            if (try? quick.get()) != (try? result.get()) {
                mismatches.append("\(name) \(version.rawValue): stepsOnly differs from full")
            }
            switch (result, c["output"]?.stringValue) {
            case (.success(let got), let output?):
                let expected = [UInt8](try Data(contentsOf: dir.appendingPathComponent(output)))
                if got != expected {
                    mismatches.append("\(name) \(version.rawValue): \(firstDifference(got, expected))")
                }
                lines += 1
            case (.failure(let error), _?):
                // The only refusal allowed where Python writes a line: what a Swift String cannot hold.
                if error.kind != .loneSurrogate { mismatches.append("\(name) \(version.rawValue): threw \(error)") }
            case (.success, nil):
                mismatches.append("\(name) \(version.rawValue): wrote a line, reference raised \(c["error"]!)")
            case (.failure, nil):
                break
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(20).joined(separator: "\n"))")
        print("fuzz: \(cases.arrayValue!.count) cases, \(lines) identical lines")
    }
}
