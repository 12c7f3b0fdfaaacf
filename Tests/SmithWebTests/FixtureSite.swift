import Foundation
import SmithDatasets
import SmithDomain
import SmithIngest
import SmithReaders
import SmithStore
import SmithWeb

/// A store built from the shipped sample (examples/sample) through the same ingest code the CLI runs: the
/// dataset, the expert run and its evaluation, a second run of the same trajectories (for side-by-side
/// comparisons), an SFT set, two benchmark results, and a run whose trajectory holds `<script>` (for escaping).
final class FixtureStore: @unchecked Sendable {
    static let shared: FixtureStore = try! FixtureStore()

    let folder: String
    let location: StoreLocation
    let store: WebStore
    /// The bytes `smithlog sft export sample-sft` writes.
    let exportedSFT: [UInt8]

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let sample = repo + "/examples/sample"
    static let instance = "pandas-dev__pandas.95280573.pr_53652"
    static let script = "<script>alert('smithlog')</script>"

    init() throws {
        folder = NSTemporaryDirectory() + "smithlog-web-test-" + UUID().uuidString
        location = StoreLocation(root: folder + "/store")
        let s = Self.sample
        var export: [UInt8] = []
        do {
            let log = try EventLog.createForPipeline(at: location)
            _ = try DatasetImport.run(file: s + "/datasets/swesmith-sample.json", name: "swesmith-sample", log: log)
            let run = s + "/trajectories/lead/sample-run"
            _ = try TrajectoryIngest.run(folder: run, runName: "sample-run", strict: true, log: log)
            let eval = s + "/logs/run_evaluation/sample-eval"
            _ = try EvalIngest.run(folder: eval, evalName: "sample-eval", ofRun: "sample-run", strict: true, log: log)
            _ = try TrajectoryIngest.run(folder: run, runName: "sample-run-b", strict: true, log: log)
            _ = try EvalIngest.run(
                folder: eval, evalName: "sample-eval-b", ofRun: "sample-run-b", strict: true, log: log)
            let prompt = try AgentConfigReader.systemTemplate(atPath: s + "/agent/swesmith_infer.yaml")
            _ = try SftBuild.run(
                .init(
                    name: "sample-sft", trajRun: "sample-run", evalRun: "sample-eval", version: .xmlV1,
                    systemPrompt: prompt, onlyResolved: true, subset: nil), log: log)
            _ = try BenchmarkRecord.run(
                .init(
                    report: s + "/bench/qwen-7b-sample.sample-bench.json", benchmark: "swe-bench_verified",
                    split: "test", model: "qwen-7b-sample", checkpoint: nil, name: "qwen-7b-sample-verified"), log: log)
            _ = try BenchmarkRecord.run(
                .init(
                    report: Self.repo
                        + "/Tests/Fixtures/leaderboard/verified/20250803_mini-v1.0.0_qwen2-5-coder-32b-instruct.verified.json",
                    benchmark: "swe-bench_verified", split: "test", model: "qwen2.5-coder-32b-instruct",
                    checkpoint: nil,
                    name: "mini-qwen-verified", cost: 34.06), log: log)
            try Self.ingestHostileRun(into: log, folder: folder)
            try Self.ingestLargeRuns(into: log, folder: folder)
            export = try SftExport.run(name: "sample-sft", log: log).jsonl
        }
        exportedSFT = export
        store = try WebStore(location: location)
    }

    /// A copy of the sample run whose first trajectory's first observation holds a `<script>` element.
    static func ingestHostileRun(into log: EventLog, folder: String) throws {
        let fm = FileManager.default
        let copy = folder + "/xss-run"
        try fm.copyItem(atPath: sample + "/trajectories/lead/sample-run", toPath: copy)
        let file = "\(copy)/\(instance)/\(instance).traj"
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"observation\": \"", with: "\"observation\": \"\(script) ")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try TrajectoryIngest.run(folder: copy, runName: "xss-run", strict: true, log: log)
    }

    /// `big-run`: the sample run with one trajectory replaced by a 150-step one of about 1 MB (each step's
    /// observation 7,000 bytes); `fixture-run`: the 1 MB real SWE-smith trajectory of Tests/Fixtures.
    static func ingestLargeRuns(into log: EventLog, folder: String) throws {
        let fm = FileManager.default
        let copy = folder + "/big-run"
        try fm.copyItem(atPath: sample + "/trajectories/lead/sample-run", toPath: copy)
        let file = "\(copy)/\(instance)/\(instance).traj"
        let observation = String(repeating: "0123456789abcdef-", count: 7_000 / 17)
        let steps = (1...150).map { i in
            #"{"action": "bash step \#(i)", "observation": "\#(observation)", "thought": "step \#(i)", "response": "step \#(i)"}"#
        }
        let text =
            #"{"trajectory": [\#(steps.joined(separator: ", "))], "history": [], "info": {"exit_status": "submitted", "submission": ""}}"#
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try TrajectoryIngest.run(folder: copy, runName: "big-run", strict: true, log: log)
        _ = try TrajectoryIngest.run(
            folder: repo + "/Tests/Fixtures/swe-smith/trajectories", runName: "fixture-run", strict: true, log: log)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
}
