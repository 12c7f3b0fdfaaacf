import Foundation
import SmithJSON
import Testing

/// `sft combine` and `sft export` over a set large enough that holding it whole would show in the process's peak
/// memory: the bytes are the ones recorded, and the commands' peak RSS grows with far less than the file.
@Suite("CLI: SFT combine and export stream their lines")
struct StreamingSftTests {
    static let sampleID = "pandas-dev__pandas.95280573.pr_1867"
    static let instances = 6_000
    /// Bytes of observation text per trajectory (it lands in the line once).
    static let observation = 6_000

    /// A SWE-agent run folder and its evaluation, `instances` trajectories made from one sample trajectory
    /// with its observation replaced by text of its own, each resolved.
    func writeRun(_ cli: CLIHarness) throws -> (run: String, eval: String) {
        let sampleRun = CLIHarness.sample + "/trajectories/lead/sample-run"
        let template = try String(
            contentsOfFile: "\(sampleRun)/\(Self.sampleID)/\(Self.sampleID).traj", encoding: .utf8)
        let report = try cli.read(CLIHarness.sample + "/logs/run_evaluation/sample-eval/\(Self.sampleID)/report.json")
        let patch = try cli.read("\(sampleRun)/\(Self.sampleID)/\(Self.sampleID).patch")
        let run = cli.dir + "/trajectories/lead/big-run"
        let eval = cli.dir + "/logs/run_evaluation/big-eval"
        let fm = FileManager.default
        try fm.createDirectory(atPath: run, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: eval, withIntermediateDirectories: true)
        let words = ["alpha", "frame", "index", "column", "value", "error", "patch", "module", "series", "dtype"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var submitted = "instances_by_exit_status:\n  submitted:\n"
        var preds: [(String, JSONValue)] = []
        for i in 0..<Self.instances {
            let id = "repo\(i % 40)__proj.\(String(i % 7, radix: 16)).func_pm_case__\(i)"
            var text = "OBSERVATION:\\n"
            while text.utf8.count < Self.observation {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += words[Int(state >> 60) % words.count] + String(state >> 48 & 0xFFF) + " "
            }
            let traj = template.replacingOccurrences(of: "OBSERVATION:\\nx = 1\\n", with: text + "\\n")
            try fm.createDirectory(atPath: "\(run)/\(id)", withIntermediateDirectories: true)
            try Data(traj.utf8).write(to: URL(fileURLWithPath: "\(run)/\(id)/\(id).traj"))
            try Data(patch).write(to: URL(fileURLWithPath: "\(run)/\(id)/\(id).patch"))
            try fm.createDirectory(atPath: "\(eval)/\(id)", withIntermediateDirectories: true)
            try Data(report).write(to: URL(fileURLWithPath: "\(eval)/\(id)/report.json"))
            submitted += "  - \(id)\n"
            preds.append(
                (
                    id,
                    .object([
                        ("model_name_or_path", .string("m")), ("instance_id", .string(id)),
                        ("model_patch", .string(String(decoding: patch, as: UTF8.self))),
                    ])
                ))
        }
        try Data((submitted + "total_cost: 1.0\n").utf8).write(
            to: URL(fileURLWithPath: run + "/run_batch_exit_statuses.yaml"))
        try Data(PythonJSON.dumps(.object(preds), indent: 4).utf8).write(
            to: URL(fileURLWithPath: run + "/preds.json"))
        try fm.copyItem(atPath: sampleRun + "/run_batch.config.yaml", toPath: run + "/run_batch.config.yaml")
        return (run, eval)
    }

    /// Runs `args` under `/usr/bin/time` and returns the result and the process's peak RSS in bytes.
    func measured(_ cli: CLIHarness, _ args: [String]) throws -> (CLIHarness.Result, Int) {
        let rss = cli.dir + "/rss-\(UUID().uuidString)"
        let r = try cli.run(args, launcher: ["/usr/bin/time", "-f", "%M", "-o", rss])
        let kb = Int(String(decoding: try cli.read(rss), as: UTF8.self).split(separator: "\n").last ?? "") ?? -1
        return (r, kb * 1024)
    }

    var prompt: String { CLIHarness.sample + "/agent/swesmith_infer.yaml" }

    @Test(
        "combine and export of a large set: the recorded bytes, and peak RSS above a tiny export's by under half the file",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func largeSetStreams() throws {
        // The baseline: the same export over the 8-trajectory sample (the binary, its libraries, an open store).
        let small = CLIHarness()
        try small.run(["init"])
        #expect(try small.run(["ingest", "trajectories", IngestCommandTests.sampleRun]).status == 0)
        #expect(try small.run(["ingest", "eval", IngestCommandTests.sampleEval, "--of-run", "sample-run"]).status == 0)
        let args = ["--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from", prompt]
        #expect(try small.run(["sft", "build", "s"] + args).status == 0)
        let (smallExport, baseline) = try measured(small, ["sft", "export", "s", "-o", small.dir + "/s.jsonl"])
        #expect(smallExport.status == 0, "\(smallExport.stderr)")

        let cli = CLIHarness()
        try cli.run(["init"])
        let (run, eval) = try writeRun(cli)
        #expect(try cli.run(["ingest", "trajectories", run]).status == 0)
        #expect(try cli.run(["ingest", "eval", eval, "--of-run", "big-run"]).status == 0)
        let bigArgs = ["--traj-run", "big-run", "--eval-run", "big-eval", "--system-prompt-from", prompt]
        #expect(try cli.run(["sft", "build", "a"] + bigArgs).status == 0)
        #expect(try cli.run(["sft", "build", "b", "--transform", "xml-v2"] + bigArgs).status == 0)

        let (exportA, exportRSS) = try measured(cli, ["sft", "export", "a", "-o", cli.dir + "/a.jsonl"])
        #expect(exportA.status == 0, "\(exportA.stderr)")
        let a = try cli.read(cli.dir + "/a.jsonl")
        // The same bytes to stdout; both were checked against the SHA-256 recorded at build time.
        #expect(try cli.run(["sft", "export", "a", "-o", "-"]).stdoutBytes == a)
        #expect(a.count > 30 << 20)
        let aLines = a.split(separator: 10)
        #expect(aLines.count == Self.instances)

        let (combine, combineRSS) = try measured(
            cli, ["sft", "combine", "ab", "--from", "a", "--from", "b", "--max-per-inst", "1"])
        #expect(combine.status == 0, "\(combine.stderr)")
        #expect(combine.stderr.contains("sft combine: \(Self.instances) lines"))
        let (exportAB, exportABRSS) = try measured(cli, ["sft", "export", "ab", "-o", cli.dir + "/ab.jsonl"])
        #expect(exportAB.status == 0, "\(exportAB.stderr)")
        let ab = try cli.read(cli.dir + "/ab.jsonl")
        let b = try cli.read(try exportPath(cli, "b"))
        // One line per instance, each one of that instance's two input lines, byte for byte (these inputs are
        // already json.dumps output, so combine_trajs's rewrite keeps them).
        let inputs = Set(aLines + b.split(separator: 10))
        let combined = ab.split(separator: 10)
        #expect(combined.count == Self.instances)
        #expect(combined.allSatisfy { inputs.contains($0) })
        let ids = try combined.map { try JSONParser.parse(Array($0))["instance_id"]?.stringValue ?? "" }
        #expect(Set(ids).count == Self.instances)
        #expect(FileManager.default.fileExists(atPath: cli.dir + "/metadata__ab.json"))

        // A memory ceiling, not a timing: holding the file would add at least its size.
        #expect(
            exportRSS - baseline < a.count / 2,
            "export a: peak RSS \(exportRSS >> 20) MB, baseline \(baseline >> 20) MB, file \(a.count >> 20) MB")
        #expect(
            exportABRSS - baseline < ab.count / 2,
            "export ab: peak RSS \(exportABRSS >> 20) MB, baseline \(baseline >> 20) MB, file \(ab.count >> 20) MB")
        // Combine's reading and rewriting stay flat, and the dataset's one transaction makes its FtSampleEmitted
        // events a chunk at a time (EventLog.append(count:...)) instead of holding them all.
        #expect(
            combineRSS - baseline < ab.count / 2,
            "combine: peak RSS \(combineRSS >> 20) MB, baseline \(baseline >> 20) MB, file \(ab.count >> 20) MB")
    }

    func exportPath(_ cli: CLIHarness, _ name: String) throws -> String {
        let path = cli.dir + "/\(name).jsonl"
        #expect(try cli.run(["sft", "export", name, "-o", path]).status == 0)
        return path
    }
}
