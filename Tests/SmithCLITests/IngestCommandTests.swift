import Foundation
import SmithJSON
import Testing

@Suite("CLI: ingest")
struct IngestCommandTests {
    static let sampleRun = CLIHarness.sample + "/trajectories/lead/sample-run"
    static let sampleEval = CLIHarness.sample + "/logs/run_evaluation/sample-eval"

    func eventCount(_ cli: CLIHarness) throws -> String {
        try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"].map { PythonJSON.dumps($0) } ?? "?"
    }

    @Test("every fixture trajectory is read, in all SWE-agent versions")
    func fixtureTrajectories() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let f = CLIHarness.fixtures
        var folders = try FileManager.default.contentsOfDirectory(atPath: f + "/swe-agent/trajectories").map {
            f + "/swe-agent/trajectories/" + $0
        }
        folders += try FileManager.default.contentsOfDirectory(atPath: f + "/swe-agent/demonstrations")
            .filter { !$0.hasSuffix(".traj") }.map { f + "/swe-agent/demonstrations/" + $0 }
        folders += [f + "/swe-smith/trajectories", f + "/swe-agent/demonstrations"]
        let synthetic = try cli.copy(f + "/synthetic/swe-agent-1.1", to: "runs/query-run")
        folders.append(synthetic)
        for folder in folders {
            let r = try cli.run(["ingest", "trajectories", folder, "--strict"])
            #expect(r.status == 0, "\(folder): \(r.stderr)")
        }
        let formats = try cli.sqlRows("SELECT format, count(*) AS n FROM trajectories GROUP BY format ORDER BY format")
        #expect(
            formats.map { $0["format"]?.stringValue ?? "" } == ["1.0-messages", "1.1-query", "history-only", "pre-1.0"])
        let total = try cli.sqlRows("SELECT count(*) AS n FROM trajectories")
        #expect(total.first?["n"] == .number(String(folders.count)))
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("ingesting a run twice records nothing the second time, and says so")
    func idempotentTrajectories() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let first = try cli.run(["ingest", "trajectories", Self.sampleRun])
        #expect(first.status == 0)
        #expect(first.stderr.hasSuffix("ingest trajectories: 9 new events, 0 already recorded, 0 skipped\n"))
        let second = try cli.run(["ingest", "trajectories", Self.sampleRun])
        #expect(second.stderr.hasSuffix("ingest trajectories: 0 new events, 9 already recorded, 0 skipped\n"))
        let t = try cli.sqlRows(
            "SELECT instance_id, format, exit_status, api_calls FROM trajectories ORDER BY instance_id")
        #expect(t.count == 8)
        #expect(t.allSatisfy { $0["format"]?.stringValue == "1.0-messages" && $0["api_calls"] == .number("4") })
    }

    @Test("bad trajectories are skipped and counted, or refuse the whole run under --strict")
    func badTrajectories() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let run = try cli.copy(Self.sampleRun, to: "runs/sample-run")
        let dirs = try FileManager.default.contentsOfDirectory(atPath: run).filter {
            FileManager.default.fileExists(atPath: "\(run)/\($0)/\($0).traj")
        }.sorted()
        try #require(dirs.count == 8)
        let truncated = "\(run)/\(dirs[0])/\(dirs[0]).traj"
        let bytes = try cli.read(truncated)
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: truncated))
        let nonUTF8 = "\(run)/\(dirs[1])/\(dirs[1]).traj"
        var b = try cli.read(nonUTF8)
        b.insert(contentsOf: [0xff, 0xfe], at: 200)
        try Data(b).write(to: URL(fileURLWithPath: nonUTF8))

        let strict = try cli.run(["ingest", "trajectories", run, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr.split(separator: "\n").count == 1)
        #expect(strict.stderr.contains(dirs[0]) && strict.stderr.contains(".traj"))
        #expect(try eventCount(cli) == "0")

        let lenient = try cli.run(["ingest", "trajectories", run])
        #expect(lenient.status == 0)
        // Each names its file (a long path loses the middle of its folders) and stays under 300 characters.
        #expect(lenient.stderr.contains("\(dirs[0]).traj: "))
        #expect(lenient.stderr.contains("\(dirs[1]).traj: "))
        #expect(lenient.stderr.split(separator: "\n").allSatisfy { $0.count <= 300 })
        #expect(lenient.stderr.contains("invalid UTF-8"))
        #expect(lenient.stderr.hasSuffix("7 new events, 0 already recorded, 2 skipped\n"))
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("an empty folder and a folder that is not a run are refused with one line")
    func notARun() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let empty = cli.dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let e = try cli.run(["ingest", "trajectories", empty])
        #expect(e.status == 1)
        #expect(e.stderr.hasPrefix("smithlog: \(empty)"))
        #expect(e.stderr.split(separator: "\n").count == 1)
        let notRun = try cli.run(["ingest", "trajectories", CLIHarness.sample + "/configs"])
        #expect(notRun.status == 1)
        #expect(notRun.stderr.split(separator: "\n").count == 1)
        let missing = try cli.run(["ingest", "eval", cli.dir + "/nope"])
        #expect(missing.status == 1)
        #expect(try eventCount(cli) == "0")
    }

    @Test("an interrupted ingest leaves whole artifacts, and re-running it records the rest")
    func interruptedIngest() throws {
        let reference = CLIHarness()
        try reference.run(["init"])
        try reference.run(["ingest", "trajectories", Self.sampleRun])

        let cli = CLIHarness()
        try cli.run(["init"])
        let killed = try cli.run(
            ["ingest", "trajectories", Self.sampleRun], environment: ["SMITHLOG_FAULT_AFTER_ARTIFACTS": "4"])
        #expect(killed.status != 0)
        #expect(try cli.run(["verify"]).status == 0)
        // RunStarted and the first three trajectories were committed; nothing of the fifth.
        #expect(try eventCount(cli) == "4")
        let resumed = try cli.run(["ingest", "trajectories", Self.sampleRun])
        #expect(resumed.stderr.hasSuffix("5 new events, 4 already recorded, 0 skipped\n"))
        let sql = "SELECT run, instance_id, traj_sha256, exit_status, steps FROM trajectories ORDER BY instance_id"
        #expect(try cli.sqlRows(sql) == reference.sqlRows(sql))
    }

    @Test("4 processes ingesting different runs into one store at once: nothing lost, nothing doubled")
    func concurrentIngests() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let processes = (0..<4).map { i -> Process in
            let p = Process()
            p.executableURL = CLIHarness.binary
            p.arguments = ["ingest", "trajectories", Self.sampleRun, "--run", "run-\(i)", "--store", cli.store]
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try eventCount(cli) == "36")
        let perRun = try cli.sqlRows("SELECT run, count(*) AS n FROM trajectories GROUP BY run ORDER BY run")
        #expect(perRun.map { $0["n"] } == Array(repeating: .number("8"), count: 4))
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("a trajectory re-recorded with different bytes is a new event and supersedes the older one")
    func supersededTrajectory() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let run = try cli.copy(Self.sampleRun, to: "runs/sample-run")
        #expect(try cli.run(["ingest", "trajectories", run]).status == 0)
        let id = try #require(
            try FileManager.default.contentsOfDirectory(atPath: run).sorted().first {
                FileManager.default.fileExists(atPath: "\(run)/\($0)/\($0).traj")
            })
        let path = "\(run)/\(id)/\(id).traj"
        let text = String(decoding: try cli.read(path), as: UTF8.self)
        try Data(text.replacingOccurrences(of: "\"api_calls\": 4", with: "\"api_calls\": 5").utf8).write(
            to: URL(fileURLWithPath: path))
        let again = try cli.run(["ingest", "trajectories", run])
        #expect(again.stderr.hasSuffix("1 new event, 8 already recorded, 0 skipped\n"))
        let current = try cli.sqlRows("SELECT api_calls FROM trajectories WHERE instance_id = '\(id)'")
        #expect(current.first?["api_calls"] == .number("5"))
        let old = try cli.sqlRows("SELECT api_calls FROM superseded_trajectories WHERE instance_id = '\(id)'")
        #expect(old.first?["api_calls"] == .number("4"))
    }

    @Test("evaluation verdicts are recorded and linked to the evaluated trajectories")
    func evalSweSmithLayout() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        try cli.run(["ingest", "trajectories", Self.sampleRun, "--run", "sample-run"])
        let r = try cli.run(["ingest", "eval", Self.sampleEval])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("linked to trajectory run 'sample-run' by instance ids"))
        #expect(r.stderr.hasSuffix("9 new events, 0 already recorded, 0 skipped, 1 warning\n"))
        let v = try cli.sqlRows("SELECT instance_id, resolved, trajectory FROM verdicts ORDER BY instance_id")
        #expect(v.count == 8)
        #expect(v.allSatisfy { $0["trajectory"]?.stringValue?.count == 64 })
        #expect(v.filter { $0["resolved"] == .number("1") }.count == 6)
        let again = try cli.run(["ingest", "eval", Self.sampleEval])
        #expect(again.stderr.contains("0 new events, 9 already recorded"))
    }

    @Test("the SWE-bench layout, nested per model, is read too")
    func evalSweBenchLayout() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let root = cli.dir + "/logs/run_evaluation/verified-run"
        for id in ["astropy__astropy-12907", "astropy__astropy-13033"] {
            _ = try cli.copy(
                CLIHarness.fixtures + "/swe-bench/\(id).report.json",
                to: "logs/run_evaluation/verified-run/my-model/\(id)/report.json")
        }
        let r = try cli.run(["ingest", "eval", root, "--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        let v = try cli.sqlRows("SELECT instance_id, eval_run FROM verdicts ORDER BY instance_id")
        #expect(v.map { $0["instance_id"]?.stringValue ?? "" } == ["astropy__astropy-12907", "astropy__astropy-13033"])
        #expect(v.allSatisfy { $0["eval_run"]?.stringValue == "verified-run" })
    }

    @Test("datasets import byte-exact rows; subsets export exactly what json.dump(indent=2) writes")
    func datasetAndSubset() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        #expect(try cli.run(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"]).status == 0)
        let again = try cli.run(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"])
        #expect(again.stderr.hasSuffix("0 new events, 11 already recorded, 0 skipped\n"))
        let create = try cli.run([
            "subset", "create", "pr-2to5", "--dataset", "swesmith-sample",
            "--where", #"instance_id LIKE '%.pr\_%' ESCAPE '\' AND f2p_count BETWEEN 2 AND 5"#,
        ])
        #expect(create.status == 0, "\(create.stderr)")
        let out = cli.dir + "/pr-2to5.json"
        #expect(try cli.run(["subset", "export", "pr-2to5", "-o", out]).status == 0)
        #expect(try cli.read(out) == cli.read(CLIHarness.golden + "/subset-pr-2to5.json"))

        // SWE-bench rows keep FAIL_TO_PASS as JSON strings; both import and export must keep them so.
        let lite = CLIHarness.fixtures + "/swe-agent/data_sources/swe-bench-lite-test.json"
        #expect(try cli.run(["dataset", "import", lite, "--name", "lite"]).status == 0)
        #expect(try cli.run(["subset", "create", "all-lite", "--dataset", "lite", "--where", "1"]).status == 0)
        let export = try cli.run(["subset", "export", "all-lite", "-o", "-"])
        #expect(export.stdoutBytes == (try cli.read(CLIHarness.golden + "/subset-lite-all.json")))

        // A condition on the row's own JSON: row_json is read from the log (the file keeps no copy).
        let byRow = try cli.run([
            "subset", "create", "django", "--dataset", "lite", "--where",
            "json_extract(row_json, '$.repo') = 'django/django'",
        ])
        #expect(byRow.status == 0, "\(byRow.stderr)")
        let django = try cli.run([
            "sql", "--csv",
            "SELECT count(*) FROM subset_members WHERE subset = 'django' AND instance_id LIKE 'django__%'",
        ])
        let liteDjango = try cli.run([
            "sql", "--csv", "SELECT count(*) FROM instances WHERE dataset = 'lite' AND repo = 'django/django'",
        ])
        // CSV: a header line, then the count (RFC 4180 line ends).
        #expect(django.stdout == liteDjango.stdout && django.stdout.split(whereSeparator: \.isNewline).last != "0")
        let noCopy = try cli.run([
            "sql", "--csv", "SELECT count(*) FROM pragma_table_info('instances') WHERE name = 'row_json'",
        ])
        #expect(noCopy.stdout.split(whereSeparator: \.isNewline).last == "0")

        let bad = try cli.run(["subset", "create", "x", "--dataset", "lite", "--where", "no_such_column = 1"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("no_such_column"))
        let write = try cli.run(["sql", "DELETE FROM instances"])
        #expect(write.status != 0)
    }

    @Test("a bad dataset file is refused whole, naming the file and the JSON path")
    func badDataset() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let path = cli.dir + "/broken.json"
        let good = try cli.read(CLIHarness.sample + "/datasets/swesmith-sample.json")
        try Data(good.prefix(good.count - 40)).write(to: URL(fileURLWithPath: path))
        let r = try cli.run(["dataset", "import", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("smithlog: \(path): "))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try eventCount(cli) == "0")
    }
}
