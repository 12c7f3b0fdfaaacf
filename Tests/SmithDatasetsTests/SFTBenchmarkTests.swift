import Foundation
import SmithDatasets
import Testing

/// Export timing (read .traj, transform, write jsonl), the same work as `tools/golden/sft.py --bench N`.
/// Runs only when `SMITHLOG_SFT_BENCH` gives N; use a release build for numbers worth quoting.
@Suite("SFT export benchmark")
struct SFTBenchmarkTests {
    static let count = ProcessInfo.processInfo.environment["SMITHLOG_SFT_BENCH"].flatMap { Int($0) }

    @Test("N exports of the 1 MB SWE-smith trajectory", .enabled(if: count != nil))
    func export() throws {
        let n = Self.count!
        let source = GoldenFiles.fixtures.appendingPathComponent(BrokenTrajectory.source)
        let transform = SFTTransform(version: .xmlV2, systemPrompt: GoldenFiles.systemPrompt)
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("smithlog-bench-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(FileManager.default.createFile(atPath: out.path, contents: nil))
        let handle = try FileHandle(forWritingTo: out)
        let start = ContinuousClock.now
        var buffer: [UInt8] = []
        for i in 0..<n {
            let bytes = try Data(contentsOf: source)
            try bytes.withUnsafeBytes { raw in
                try transform.appendLine(for: raw, instanceId: "\(BrokenTrajectory.instanceId)_\(i)", to: &buffer)
            }
            if buffer.count > 1 << 22 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        try handle.close()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = String(format: "%.0f", Double(n) / seconds)
        print("swift: \(n) exports in \(String(format: "%.3f", seconds)) s (\(rate)/s)")
    }
}
