import Foundation
import SmithJSON
import Testing

@Suite("CLI: retraction and the error funnel")
struct RetractAndErrorTests {
    @Test("retract bench NAME adds one event, leaves the leaderboard, and lineage shows it retracted")
    func retractBench() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let files = try FileManager.default.contentsOfDirectory(atPath: CLIHarness.verified)
            .filter { $0.hasSuffix(".verified.json") }.sorted()
        for file in files.prefix(2) {
            try cli.ok([
                "bench", "record", CLIHarness.verified + "/" + file, "--benchmark", "swe-bench_verified",
                "--model", "m", "--name", String(file.dropLast(".verified.json".count)),
            ])
        }
        let name = String(files[0].dropLast(".verified.json".count))
        let before = try cli.logLines()
        let r = try cli.run(["retract", "bench", name, "--reason", "scored on a leaked split"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("\(name)@1 retracted"))
        #expect(try cli.logLines() == before + 1)
        let again = try cli.run(["retract", "bench", name, "--reason", "twice"])
        #expect(again.status == 0)
        #expect(try cli.logLines() == before + 1)
        let retracted = try JSONParser.parse(try cli.run(["show", String(before + 1)]).stdout)
        #expect(retracted["type"]?.stringValue == "Retracted")
        #expect(retracted["payload"]?["version"] == .int(1))

        // The leaderboard and lineage are the Projections/Queries side (documented behaviour).
        let board = try cli.run(["leaderboard"])
        #expect(board.status == 0 && !board.stdout.contains(name))
        let json = try JSONParser.parse(try cli.run(["leaderboard", "--json"]).stdout).arrayValue ?? []
        #expect(json.count == 1 && !json.contains { $0["name"]?.stringValue == name })
        let lineage = try cli.run(["lineage", name])
        #expect(lineage.status == 0, "\(lineage.stderr)")
        #expect(lineage.stdout.contains("retracted") && lineage.stdout.contains("scored on a leaked split"))

        let missing = try cli.run(["retract", "bench", "nope", "--reason", "x"])
        #expect(missing.status == 3)
        #expect(stderrLines(missing).count == 1)
        let noVersion = try cli.run(["retract", "bench", name + "@2", "--reason", "x"])
        #expect(noVersion.status == 3)
        #expect(try cli.logLines() == before + 1)
        let badKind = try cli.run(["retract", "model", name, "--reason", "x"])
        #expect(badKind.status == 64)
    }

    @Test("a retracted SFT version leaves sft list and comes back marked with --include-retracted")
    func retractSft() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        try cli.ok([
            "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ])
        #expect(try cli.ok(["sft", "list"]).stdout.contains("sample-sft"))
        try cli.ok(["retract", "sft", "sample-sft@1", "--reason", "built from the wrong eval run"])
        let list = try cli.ok(["sft", "list", "--json"])
        #expect(!list.stdout.contains("sample-sft"))
        let all = try cli.ok(["sft", "list", "--include-retracted"])
        #expect(all.stdout.contains("sample-sft") && all.stdout.contains("built from the wrong eval run"))
        // The log keeps everything: the bytes are still there by version.
        #expect(try cli.run(["sft", "export", "sample-sft@1", "-o", cli.dir + "/x.jsonl"]).status == 0)
    }

    @Test("a dataset row with an empty or malformed instance_id is refused with one line, the log unchanged")
    func badInstanceIds() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let rows = try JSONParser.parse(try cli.read(CLIHarness.sample + "/datasets/swesmith-sample.json"))
        let good = try #require(rows.arrayValue)
        for bad in ["", "a b"] {
            guard case .object(var pairs) = good[1] else { Issue.record("row is not an object"); return }
            pairs = pairs.map { $0.0 == "instance_id" ? ($0.0, .string(bad)) : $0 }
            var edited = good
            edited[1] = .object(pairs)
            let path = cli.dir + "/bad-\(bad.count).json"
            try Data(PythonJSON.dumpBytes(.array(edited), indent: 2)).write(to: URL(fileURLWithPath: path))
            let r = try cli.run(["dataset", "import", path])
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1)
            #expect(r.stderr.hasPrefix("smithlog: \(path): $[1].instance_id: "), "\(r.stderr)")
            #expect(try cli.logLines() == 0)
        }
        // The same file with good ids goes in.
        try cli.ok(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"])
    }

    @Test("no such name exits 3 for sft export, subset export and the named references of recording commands")
    func notFound() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        for args in [
            ["sft", "export", "nope"], ["subset", "export", "nope"], ["sft", "export", "nope@2"],
            ["show", "run", "sample-run@2"],
            [
                "sft", "build", "x", "--traj-run", "nope", "--eval-run", "sample-eval", "--system-prompt-from",
                CLIHarness.inferConfig,
            ],
            [
                "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--checkpoint", "nope",
            ],
            ["ingest", "eval", CLIHarness.evalFolder, "--run", "e2", "--of-run", "sample-run@9"],
        ] {
            let r = try cli.run(args)
            #expect(r.status == 3, "\(args): \(r.status) \(r.stderr)")
            #expect(stderrLines(r).count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("smithlog: "))
        }
        let usage = try cli.run(["sft", "export"])
        #expect(usage.status == 64)
    }
}
