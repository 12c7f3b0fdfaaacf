import Foundation
import SmithDomain
import SmithIngest
import SmithStore
import SmithTestSupport
import SmithWeb

/// A store of checkpoints and inference runs, built through the same ingest code the CLI runs:
/// - `full_ft_qwen_7b-epoch2`: SWE-smith's SFT config with the committed torchtune DiskLogger log as its curve;
/// - `qwen-7b-dpo`: the DPO config starting from it (parent checkpoint, preference data);
/// - `full_ft_qwen_7b-epoch1`: a curve whose metric is named `<b>odd</b>` and holds `nan` values;
/// - `full_ft_qwen_7b-epoch4`: a 5,000-step curve with one spike, a `nan` and an `inf` (for downsampling);
/// - `full_ft_qwen_7b-epoch3`: no curve (the config logs to W&B);
/// - `ckpt`, its inference run `inf-a` and result `res-a`, and a result `res-b` of the run `inf-b`, which flip
///   one instance (as in SmithCLITests' EvalArtifactsTests.inferenceRun).
final class CheckpointStore: @unchecked Sendable {
    static let shared: CheckpointStore = try! CheckpointStore()

    static let fixtures = FixtureStore.repo + "/Tests/Fixtures"
    static let sftConfig = fixtures + "/swe-smith/configs/full_ft_qwen_7b.yml"
    static let diskLog = fixtures + "/torchtune/logs/log_1743465600.txt"
    static let dpoConfig = fixtures + "/torchtune/qwen_7b_full_dpo.yaml"
    static let trainConfig = FixtureStore.sample + "/configs/train_qwen_7b.yml"
    static let demonstrations = fixtures + "/swe-agent/demonstrations"
    static let flipped = "marshmallow-code__marshmallow-1867"
    static let hostileMetric = "<b>odd</b>"
    static let spikeStep = 2_345

    let folder: String
    let location: StoreLocation
    let store: WebStore

    init() throws {
        folder = NSTemporaryDirectory() + "smithlog-web-ckpt-" + UUID().uuidString
        location = StoreLocation(root: folder + "/store")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let log = try EventLog.createForPipeline(at: location)
            func record(_ config: String, epoch: Int?, name: String? = nil, metrics: String? = nil) throws {
                _ = try CheckpointRecord.run(
                    .init(config: config, epoch: epoch, dir: nil, name: name, hashFiles: false, metrics: metrics),
                    log: log)
            }
            try record(Self.sftConfig, epoch: 2, metrics: Self.diskLog)
            try record(Self.dpoConfig, epoch: nil, name: "qwen-7b-dpo")
            try record(Self.sftConfig, epoch: 3)

            let hostile = folder + "/log_1743465601.txt"
            let lines = (1...6).map { i in
                "Step \(i) | loss:\(1.0 / Double(i)) \(Self.hostileMetric):\(i == 3 ? "nan" : String(Double(i)))"
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: hostile, atomically: true, encoding: .utf8)
            try record(Self.sftConfig, epoch: 1, metrics: hostile)

            let long = folder + "/log_1743465602.txt"
            let longLines = (1...5_000).map { i in
                let value =
                    i == 4_000
                    ? "nan" : i == 4_500 ? "inf" : String(i == Self.spikeStep ? 50.0 : 2.0 - Double(i) / 5_000)
                return "Step \(i) | loss:\(value)"
            }
            try (longLines.joined(separator: "\n") + "\n").write(toFile: long, atomically: true, encoding: .utf8)
            try record(Self.sftConfig, epoch: 4, metrics: long)

            try record(Self.trainConfig, epoch: 3, name: "ckpt")
            let a = Self.demonstrations + "/replay__marshmallow-code__marshmallow-1867__function_calling__install-1"
            let b =
                Self.demonstrations + "/replay__marshmallow-code__marshmallow-1867__function_calling_replace__install-1"
            _ = try TrajectoryIngest.run(folder: a, runName: "inf-a", strict: true, log: log, checkpoint: "ckpt")
            _ = try TrajectoryIngest.run(folder: b, runName: "inf-b", strict: true, log: log, model: "gpt-4o")
            let id = Self.flipped
            let resolved = SampleReports.harnessResolved(id)
            let unresolved = SampleReports.sbCliUnresolved(id)
            let reportA = folder + "/openai__ckpt.inf-a.json"
            let reportB = folder + "/swe-bench_verified__test__inf-b.json"
            try resolved.write(toFile: reportA, atomically: true, encoding: .utf8)
            try unresolved.write(toFile: reportB, atomically: true, encoding: .utf8)
            _ = try BenchmarkRecord.run(
                .init(
                    report: reportA, benchmark: "swe-bench_verified", split: nil, model: nil, checkpoint: "ckpt",
                    name: "res-a", run: "inf-a"), log: log)
            _ = try BenchmarkRecord.run(
                .init(
                    report: reportB, benchmark: "swe-bench_verified", split: "test", model: "gpt-4o", checkpoint: nil,
                    name: "res-b", run: "inf-b"), log: log)
        }
        store = try WebStore(location: location)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
}
