import Foundation
import SmithDatasets
import Testing

@Suite("SFT batch export over files")
struct SFTBatchTests {
    @Test("lines for files match one-by-one lines, in input order, with per-file errors")
    func batch() throws {
        let cases = SFTGoldenCase.all.filter { $0.version == "xml-v2" && $0.input.hasPrefix("fixtures:") }
        var files = cases.map { c in
            SFTTrajectoryFile(
                instanceId: c.instanceId,
                path: GoldenFiles.fixtures.appendingPathComponent(String(c.input.dropFirst(9))).path)
        }
        files.append(SFTTrajectoryFile(instanceId: "missing", path: "/nonexistent/smithlog/x.traj"))
        let transform = SFTTransform(version: .xmlV2, systemPrompt: GoldenFiles.systemPrompt)
        for validation in [SFTValidation.full, .stepsOnly] {
            let results = transform.lines(forFiles: files, validation: validation, threads: 3)
            #expect(results.count == files.count)
            for (c, result) in zip(cases, results) {
                switch result {
                case .success(let line):
                    #expect(line == (try GoldenFiles.bytes("sft/" + (c.output ?? ""))), "\(c.name)")
                case .failure:
                    #expect(c.error != nil, "\(c.name) failed but the reference wrote a line")
                }
            }
            guard case .failure(let error) = results.last else {
                Issue.record("a missing file must fail")
                continue
            }
            #expect(error.kind == .unreadable)
            #expect(error.path == "/nonexistent/smithlog/x.traj")
        }
    }
}
