import ArgumentParser
import Foundation
import SmithDatasets
import SmithDomain
import SmithIngest
import SmithJSON
import SmithReaders
import SmithStore

/// Issue #5's benchmark: build and export an SFT dataset of N samples from the log, against the Python
/// reference transform (read .traj, transform, write jsonl) timed in the same run by `--python`.
struct SftBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft", abstract: "SFT build + export of N samples; compare with the Python reference.")

    @Option var count: Int = 1000
    @Option(help: "The .traj file to vary.") var sample: String
    @Option(help: "SWE-agent config with the system template.") var config: String
    @Option(help: "A command that runs the Python reference and prints its seconds on the last line.")
    var python: String?

    func run() throws {
        let root = NSTemporaryDirectory() + "smithlog-bench-sft-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let location = StoreLocation(root: root + "/store")
        let log = try EventLog.create(at: location)
        let base = Array(try Data(contentsOf: URL(fileURLWithPath: sample)))
        let run = root + "/trajectories/bench/run"
        var ids: [String] = []
        for i in 0..<count {
            let id = "pandas-dev__pandas.95280573.pr_53856_\(i)"
            try FileManager.default.createDirectory(atPath: run + "/" + id, withIntermediateDirectories: true)
            try Data(Array("{\"bench_variant\": \(i), ".utf8) + base.dropFirst()).write(
                to: URL(fileURLWithPath: run + "/\(id)/\(id).traj"))
            ids.append(id)
        }
        _ = try TrajectoryIngest.run(folder: run, runName: "bench", strict: true, log: log)
        try FileManager.default.removeItem(atPath: run)
        // Every instance resolved, as if the harness had said so.
        var events = [
            try EvalRunStarted(name: "bench-eval", ofRun: "bench@1", layout: "swe-smith", summary: nil, model: nil)
                .newEvent()
        ]
        let report = PreparedBlob(Array("{\"resolved\": true}".utf8))
        for id in ids {
            events.append(
                try EvalVerdictRecorded(
                    evalRun: "bench-eval", instanceID: id, resolved: true, patchExists: true, patchApplied: true,
                    timedOut: false, failToPassSuccess: 0, failToPassFailure: 0, passToPassSuccess: 0,
                    passToPassFailure: 0, report: report.digest, ofRun: "bench", trajectory: nil
                ).newEvent())
        }
        try log.append(events, blobs: [report])
        let prompt = try AgentConfigReader.systemTemplateForBench(config)

        var t = Clock.now
        let built = try SftBuild.run(
            .init(
                name: "bench-sft", trajRun: "bench", evalRun: "bench-eval", version: .xmlV2, systemPrompt: prompt,
                onlyResolved: true, subset: nil), log: log)
        let buildSeconds = Clock.since(t)
        precondition(
            built.lines == count, "expected \(count) lines, got \(built.lines): \(built.report.skipped.prefix(2))")
        t = Clock.now
        let export = try SftExport.run(name: "bench-sft", log: log)
        try Data(export.jsonl).write(to: URL(fileURLWithPath: root + "/" + export.fileName))
        let exportSeconds = Clock.since(t)

        var reference: Double?
        if let python {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", python]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            reference = text.split(separator: "\n").last.flatMap { line in
                line.split(separator: " ").compactMap { Double($0) }.first
            }
        }
        print("\(count) samples from a \(base.count / 1000) KB trajectory (xml-v2)")
        BenchTable.row(
            "sft build (blobs -> transform -> record)", buildSeconds, "s", reference: reference,
            referenceName: "python reference transform")
        BenchTable.row(
            "sft export (log -> jsonl, hash checked)", exportSeconds, "s", reference: reference,
            referenceName: "python reference transform")
        if let reference {
            print(
                String(
                    format: "speed-up over the reference: build %.1fx, export %.1fx", reference / buildSeconds,
                    reference / exportSeconds))
        }
    }
}

extension AgentConfigReader {
    static func systemTemplateForBench(_ path: String) throws -> String { try systemTemplate(atPath: path) }
}
