import Foundation
import Testing

/// The command line as a new user meets it: typos are named (exit 3), `--store` goes anywhere and the store is
/// found from a subfolder, usage lines say what is required, the exports default alike, and every help ends
/// with examples that fit 80 columns.
@Suite struct CommandLineTests {
    /// The sample pipeline and one Verified score, so leaderboard and log have something to filter.
    static func scoredStore() throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        try cli.ok([
            "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--model", "qwen",
        ])
        return cli
    }

    @Test("an unknown --benchmark exits 3 with one line naming the recorded ones, or the closest")
    func unknownBenchmark() throws {
        let cli = try Self.scoredStore()
        let nope = try cli.run(["leaderboard", "--benchmark", "nope"])
        #expect(nope.status == 3, "\(nope.stderr)")
        #expect(nope.stdout.isEmpty)
        #expect(stderrLines(nope).count == 1, "\(nope.stderr)")
        #expect(nope.stderr.contains("'nope'") && nope.stderr.contains("valid: swe-bench_verified"), "\(nope.stderr)")
        let typo = try cli.run(["leaderboard", "--benchmark", "swe-bench-verified"])
        #expect(typo.status == 3)
        #expect(typo.stderr.contains("did you mean swe-bench_verified?"), "\(typo.stderr)")
        #expect(try cli.run(["leaderboard", "--benchmark", "swe-bench_verified"]).status == 0)
    }

    @Test("history of a mistyped instance id exits 3 and names the closest recorded id")
    func historySuggestsInstance() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let r = try cli.run(["history", "pydicom__pydicom.7d361b3d.pr_1459"])
        #expect(r.status == 3)
        #expect(stderrLines(r).count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("did you mean pydicom__pydicom.7d361b3d.pr_1458?"), "\(r.stderr)")
    }

    @Test("a mistyped name exits 3 and names the closest recorded one, or those recorded when few")
    func namesSuggestClosest() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let typo = try cli.run(["show", "run", "sample-rn"])
        #expect(typo.status == 3)
        #expect(stderrLines(typo).count == 1, "\(typo.stderr)")
        #expect(typo.stderr.contains("did you mean 'sample-run'?"), "\(typo.stderr)")
        let far = try cli.run(["show", "eval", "something-else-entirely"])
        #expect(far.status == 3)
        #expect(far.stderr.contains("recorded: 'sample-eval'"), "\(far.stderr)")
        let none = try cli.run(["show", "sft", "x"])
        #expect(none.status == 3)
        #expect(none.stderr.contains("(none is)"), "\(none.stderr)")
    }

    @Test("an unknown log --type or --stream exits 3 with one line; a known one still lists")
    func unknownLogFilters() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let type = try cli.run(["log", "--type", "NoSuchType"])
        #expect(type.status == 3, "\(type.stderr)")
        #expect(stderrLines(type).count == 1, "\(type.stderr)")
        #expect(type.stderr.contains("TrajectoryProduced"), "\(type.stderr)")
        let lower = try cli.run(["log", "--type", "trajectoryproduced"])
        #expect(lower.status == 3)
        #expect(lower.stderr.contains("did you mean TrajectoryProduced?"), "\(lower.stderr)")
        let stream = try cli.run(["log", "--stream", "run/sample-rn"])
        #expect(stream.status == 3)
        #expect(stderrLines(stream).count == 1, "\(stream.stderr)")
        #expect(stream.stderr.contains("did you mean run/sample-run?"), "\(stream.stderr)")
        let shape = try cli.run(["log", "--stream", "nope"])
        #expect(shape.status == 3)
        #expect(shape.stderr.contains("run/NAME"), "\(shape.stderr)")
        // A known type with no event yet is a valid filter: an empty list, not an error.
        #expect(try cli.run(["log", "--type", "CheckpointSaved"]).status == 0)
        #expect(try cli.ok(["log", "--stream", "run/sample-run", "--json"]).stdout.split(separator: "\n").count > 1)
    }

    @Test("--store before the subcommand reads the same store as after it")
    func storeBeforeSubcommand() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let after = try cli.ok(["log", "--json"]).stdout
        let before = try cli.run(["--store", cli.store, "log", "--json"], storeOption: false)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout == after)
        let equals = try cli.run(["--store=" + cli.store, "sft", "list", "--json"], storeOption: false)
        #expect(equals.status == 0, "\(equals.stderr)")
        let nested = try cli.run(["--store", cli.store, "show", "run", "sample-run"], storeOption: false)
        #expect(nested.status == 0, "\(nested.stderr)")
        // Nothing was looked for, or created, in the working folder.
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/.smithlog"))
    }

    @Test("without --store a command in a subfolder finds the store's folder's .smithlog; init creates ./.smithlog")
    func discoversStoreUpward() throws {
        let cli = CLIHarness()
        let project = cli.dir + "/project"
        let deep = project + "/runs/lead/today"
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        #expect(try cli.run(["init"], storeOption: false, workingDirectory: project).status == 0)
        let sample = CLIHarness.sample + "/datasets/swesmith-sample.json"
        let imported = try cli.run(
            ["dataset", "import", sample, "--name", "swesmith-sample"], storeOption: false, workingDirectory: deep)
        #expect(imported.status == 0, "\(imported.stderr)")
        // Recorded into the parent's store, and read back from the project folder.
        #expect(!FileManager.default.fileExists(atPath: deep + "/.smithlog"))
        let shown = try cli.run(["show", "dataset", "swesmith-sample"], storeOption: false, workingDirectory: project)
        #expect(shown.status == 0, "\(shown.stderr)")
        // init never adopts a parent's store: it creates one where it runs.
        let inner = try cli.run(["init"], storeOption: false, workingDirectory: deep)
        #expect(inner.status == 0, "\(inner.stderr)")
        #expect(FileManager.default.fileExists(atPath: deep + "/.smithlog/log/data.mdb"))
        // Outside any store, the one line still says to run init.
        let outside = cli.dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let none = try cli.run(["log"], storeOption: false, workingDirectory: outside)
        #expect(none.status != 0)
        #expect(none.stderr.contains("smithlog init"), "\(none.stderr)")
    }

    @Test("usage lines show bench record's --model/--checkpoint choice and sft combine's --from as required")
    func usageShowsRequiredOptions() throws {
        let cli = CLIHarness()
        let bench = try cli.run(["bench", "record", "--help"], storeOption: false)
        #expect(bench.stdout.contains("(--model <model> | --checkpoint <checkpoint>)"), "\(bench.stdout)")
        let combine = try cli.run(["sft", "combine", "--help"], storeOption: false)
        let usage = combine.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
        #expect(usage.contains("--from <from>") && !usage.contains("[--from"), "\(usage)")
        #expect(try cli.run(["sft", "combine", "x"]).status == 64)
    }

    @Test("subset export and sft export both write a file named after the data, and stdout with -o -")
    func exportsDefaultAlike() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        try cli.ok(["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"])
        try cli.ok([
            "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ])
        let subset = try cli.ok(["subset", "export", "first-eight"])
        #expect(subset.stdout.isEmpty)
        let subsetFile = try cli.read(cli.dir + "/first-eight.json")
        #expect(try cli.ok(["subset", "export", "first-eight@1", "-o", "-"]).stdoutBytes == subsetFile)
        let sft = try cli.ok(["sft", "export", "sample-sft"])
        #expect(sft.stdout.isEmpty)
        let sftFile = try cli.read(cli.dir + "/ft_xml_sample-sft.jsonl")
        #expect(try cli.ok(["sft", "export", "sample-sft", "-o", "-"]).stdoutBytes == sftFile)
    }

    /// The `Examples:` block a help text ends with: its lines after the header, nil when it has none.
    static func examples(in help: String) -> [Substring]? {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.lastIndex(of: "Examples:") else { return nil }
        var block = Array(lines[(header + 1)...])
        while block.last?.isEmpty == true { block.removeLast() }
        return block
    }

    @Test("every command's help ends with examples that fit 80 columns")
    func helpEndsWithExamples() throws {
        let seen = try HelpTests.forEveryCommand(CLIHarness(), environment: ["COLUMNS": "80"]) { path, result in
            guard let block = Self.examples(in: result.stdout) else {
                Issue.record("\(path) --help has no Examples: block")
                return
            }
            #expect(!block.isEmpty, "\(path): empty Examples: block")
            for line in block {
                // Every line of the block is an indented example (a wrapped one would start at column 0).
                #expect(line.hasPrefix("  smithlog ") || line.hasPrefix("    "), "\(path): \(line)")
                #expect(line.count <= 80, "\(path): \(line.count) columns: \(line)")
            }
        }
        #expect(seen > 20)
    }
}
