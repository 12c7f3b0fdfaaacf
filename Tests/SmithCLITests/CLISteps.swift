import Foundation
import SmithJSON
import Testing

/// Steps the versioning and retraction tests share: the sample pipeline, log counts, recorded events by name.
extension CLIHarness {
    static var runFolder: String { sample + "/trajectories/lead/sample-run" }
    static var evalFolder: String { sample + "/logs/run_evaluation/sample-eval" }
    static var inferConfig: String { sample + "/agent/swesmith_infer.yaml" }
    static var trainConfig: String { sample + "/configs/train_qwen_7b.yml" }
    static var sampleBench: String { sample + "/bench/qwen-7b-sample.sample-bench.json" }
    static var verified: String { fixtures + "/leaderboard/verified" }

    /// Runs `args` and requires success.
    @discardableResult
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let r = try run(args)
        #expect(r.status == 0, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// The rows of a read-only query (`smithlog sql --json`), as JSON objects; requires the query to succeed.
    func sqlRows(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONValue] {
        let r = try run(["sql", "--json", sql])
        #expect(r.status == 0, "\(sql): \(r.stderr)", sourceLocation: sourceLocation)
        return try JSONParser.parse(r.stdout).arrayValue ?? []
    }

    /// How many events the log holds, as `smithlog log --json` lists them (one line each).
    func logLines() throws -> Int {
        let r = try run(["log", "--json"])
        return r.stdout.split(separator: "\n").count
    }

    /// The payload of the event recording `kind NAME[@N]` (`smithlog show KIND NAME`).
    func head(_ kind: String, _ name: String) throws -> JSONValue {
        let r = try run(["show", kind, name])
        #expect(r.status == 0, "show \(kind) \(name): \(r.stderr)")
        return try JSONParser.parse(r.stdout)["payload"] ?? .null
    }

    /// init, the sample dataset, its run (as `sample-run`) and evaluation (as `sample-eval`).
    func recordSampleRun() throws {
        try ok(["init"])
        try ok(["dataset", "import", Self.sample + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"])
        try ok(["ingest", "trajectories", Self.runFolder, "--run", "sample-run"])
        try ok(["ingest", "eval", Self.evalFolder, "--run", "sample-eval", "--of-run", "sample-run"])
    }
}

/// The lines of stderr (a refusal is exactly one).
func stderrLines(_ r: CLIHarness.Result) -> [Substring] { r.stderr.split(separator: "\n") }
