import Foundation
import SmithDatasets
import Testing

/// `examples/sample` (what tools/demo runs on) shows what choosing a transform changes, as real runs do.
@Suite("SFT transforms on the shipped sample")
struct SampleTransformTests {
    static let runFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/sample/trajectories/lead/sample-run")

    /// (instance id, .traj bytes) of every trajectory in the sample run.
    static func trajectories() throws -> [(String, [UInt8])] {
        let entries = try FileManager.default.contentsOfDirectory(atPath: runFolder.path)
        return try entries.sorted().compactMap { id in
            let url = runFolder.appendingPathComponent("\(id)/\(id).traj")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            return (id, [UInt8](try Data(contentsOf: url)))
        }
    }

    @Test("xml-v1 and xml-v2 give other bytes for some of the sample's trajectories, the same for others")
    func xmlVersionsDiffer() throws {
        let trajectories = try Self.trajectories()
        #expect(trajectories.count == 8)
        let v1 = SFTTransform(version: .xmlV1, systemPrompt: "You are a helpful assistant.")
        let v2 = SFTTransform(version: .xmlV2, systemPrompt: "You are a helpful assistant.")
        var differing: [String] = []
        for (id, bytes) in trajectories {
            let a = try v1.line(for: bytes, instanceId: id)
            let b = try v2.line(for: bytes, instanceId: id)
            if a != b { differing.append(id) }
        }
        // The trajectories whose model called submit without a thought (tools/make-sample: every other one).
        #expect(differing.count == 4, "\(differing)")
    }
}
