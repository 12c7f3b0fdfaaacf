import Foundation
import SmithJSON
import SmithStore
import Testing

/// Hostile names and SQL (issue 15): one rule for every new name, output paths that stay in their folder,
/// `--where` bound to its dataset, and the read-only SQL connection's refusals and timeout.
@Suite("CLI: hostile names and SQL")
struct InjectionAndNameTests {
    /// The sample run and evaluation, plus SFT dataset `good` built from them.
    func store() throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        try cli.ok([
            "sft", "build", "good", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from",
            CLIHarness.inferConfig,
        ])
        return cli
    }

    /// Every command that takes a new name (or names something to retract), with `name` in that place.
    static func entryPoints(_ name: String) -> [[String]] {
        [
            ["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", name],
            ["ingest", "trajectories", CLIHarness.runFolder, "--run", name],
            ["ingest", "eval", CLIHarness.evalFolder, "--run", name, "--of-run", "sample-run"],
            ["subset", "create", name, "--dataset", "swesmith-sample", "--where", "position < 8"],
            [
                "sft", "build", name, "--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from",
                CLIHarness.inferConfig,
            ],
            ["sft", "combine", name, "--from", "good"],
            ["checkpoint", "record", "--config", CLIHarness.trainConfig, "--name", name],
            [
                "bench", "record", CLIHarness.sampleBench, "--benchmark", "swe-bench_verified", "--model", "m",
                "--name", name,
            ],
            ["retract", "sft", name, "--reason", "r"],
            ["retract", "run", name + "@1", "--reason", "r"],
            ["sft", "export", name + "@1"],
        ]
    }

    @Test(
        "a name with '/', '..', a control character or a leading '.' is refused at every entry point, log unchanged",
        // A leading '-' is refused too (NameRuleTests), but on a command line it reads as an option first.
        arguments: ["a/b", "x/../../y", "..", "bell\u{7}name", "line\nbreak", "tab\tname", ".hidden"])
    func badNamesRefused(name: String) throws {
        let cli = try store()
        let before = try cli.logLines()
        for args in Self.entryPoints(name) {
            let r = try cli.run(args)
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect(stderrLines(r).count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("not a valid"), "\(args): \(r.stderr)")
        }
        #expect(try cli.logLines() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.dir).sorted() == ["store"])
    }

    @Test("a name taken from a folder or file name that breaks the rule says to pass a name")
    func derivedNames() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let dataset = try cli.copy(CLIHarness.sample + "/datasets/swesmith-sample.json", to: "-x.json")
        let r = try cli.run(["dataset", "import", dataset])
        #expect(r.status == 1)
        #expect(
            r.stderr.hasPrefix("smithlog: the dataset name taken from the file name '-x' is not a valid dataset name"))
        #expect(r.stderr.hasSuffix("; pass --name NAME\n"))
        try cli.ok(["dataset", "import", dataset, "--name", "x"])

        let run = try cli.copy(CLIHarness.runFolder, to: "trajectories/lead/.hidden-run")
        let refused = try cli.run(["ingest", "trajectories", run])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the run name taken from the folder name '.hidden-run' is not a valid"))
        #expect(refused.stderr.hasSuffix("; pass --run NAME\n"))
        try cli.ok(["ingest", "trajectories", run, "--run", "hidden-run"])
    }

    @Test("sft export never writes outside the folder, even for a name an older store holds")
    func exportStaysInFolder() throws {
        let cli = try store()
        // An SFT dataset named with '..', as a store written before the name rule could hold it: `good`'s events
        // copied under the new name with the store's own API (the CLI refuses such a name now).
        let escaped = "x/../../escaped-\(UUID().uuidString)"
        try copySft(from: "good", to: escaped, store: cli.store)
        let outside =
            URL(fileURLWithPath: cli.dir).deletingLastPathComponent().path + "/"
            + escaped.split(separator: "/").last! + ".jsonl"
        // The folder the derived path goes through exists, so a naive write would land one level above cli.dir.
        try FileManager.default.createDirectory(atPath: cli.dir + "/ft_xml_x", withIntermediateDirectories: true)

        let r = try cli.run(["sft", "export", escaped])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(stderrLines(r).count == 1)
        #expect(r.stderr.contains("not a plain file name") && r.stderr.contains("pass -o FILE"))
        #expect(!FileManager.default.fileExists(atPath: outside))
        // The name stays readable: exported where the user says.
        let chosen = cli.dir + "/chosen.jsonl"
        try cli.ok(["sft", "export", escaped, "-o", chosen])
        let good = cli.dir + "/good.jsonl"
        try cli.ok(["sft", "export", "good", "-o", good])
        #expect(try cli.read(chosen) == cli.read(good))
        try cli.ok(["sft", "list"])
        // A plain name without -o writes its recorded file name in the current folder.
        try cli.ok(["sft", "export", "good"])
        #expect(FileManager.default.fileExists(atPath: cli.dir + "/ft_xml_good.jsonl"))
    }

    @Test(
        "--where injections select nothing outside the dataset",
        arguments: [
            "1=1) OR (1=1", "0) UNION ALL SELECT 'evil__evil-1' --",
            "0) UNION ALL SELECT 'evil__evil-1' FROM instances WHERE (1", "0 UNION ALL SELECT 'evil__evil-1'",
            "1); DROP TABLE instances; SELECT (1", "instance_id IN (SELECT instance_id FROM instances) OR 1",
            "dataset = 'lite' OR dataset <> 'lite'",
        ])
    func whereInjections(condition: String) throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", "sample"])
        try cli.ok([
            "dataset", "import", CLIHarness.fixtures + "/swe-agent/data_sources/swe-bench-lite-test.json", "--name",
            "lite",
        ])
        let r = try cli.run(["subset", "create", "s", "--dataset", "sample", "--where", condition])
        // Refused (one line, exit 1), or a subset of the dataset's own rows only.
        #expect(r.status == 0 || (r.status == 1 && stderrLines(r).count == 1), "\(r.stderr)")
        let outside = try cli.run([
            "sql", "--csv",
            "SELECT count(*) FROM subset_members m WHERE NOT EXISTS "
                + "(SELECT 1 FROM instances i WHERE i.dataset = 'sample' AND i.instance_id = m.instance_id)",
        ])
        #expect(outside.stdout.split(whereSeparator: \.isNewline).last == "0", "\(condition): \(outside.stdout)")
        let members = try cli.run(["sql", "--csv", "SELECT count(*) FROM subset_members"])
        let count = Int(members.stdout.split(whereSeparator: \.isNewline).last ?? "") ?? -1
        #expect(count <= 10, "\(condition): \(count) members")
        // The instances projection is whole.
        let rows = try cli.run(["sql", "--csv", "SELECT count(*) FROM instances"])
        #expect(rows.stdout.split(whereSeparator: \.isNewline).last != "0")
    }

    @Test(
        "fts3_tokenizer (both forms) and load_extension are refused with one line",
        arguments: [
            "SELECT hex(fts3_tokenizer('simple'))", "SELECT fts3_tokenizer('simple', x'0102030405060708')",
            "SELECT load_extension('libc.so.6')",
        ])
    func pointerFunctionsRefused(sql: String) throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.run(["sql", sql])
        #expect(r.status == 1)
        #expect(stderrLines(r).count == 1)
        #expect(r.stderr.contains("queries cannot call") && r.stderr.contains("memory or files"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a recursive CTE stops at --timeout 1 with one line and exit 1")
    func runawayQuery() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let r = try cli.run([
            "sql", "--timeout", "1",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c",
        ])
        #expect(r.status == 1)
        #expect(r.stderr == "smithlog: query interrupted after 1 s (--timeout)\n")
        #expect(try cli.run(["sql", "--timeout", "0", "SELECT 1"]).status == 64)

        // A runaway --where is stopped the same way, and records nothing.
        try cli.ok(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", "d"])
        let before = try cli.logLines()
        let subset = try cli.run([
            "subset", "create", "s", "--dataset", "d", "--timeout", "1", "--where",
            "EXISTS (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 1 FROM c WHERE x < 0)",
        ])
        #expect(subset.status == 1)
        #expect(stderrLines(subset).count == 1)
        #expect(subset.stderr.contains("interrupted after 1 s"), "\(subset.stderr)")
        #expect(try cli.logLines() == before)
    }

    /// Appends copies of SFT dataset `source`'s events (its build and its lines) under `name`, with the store's
    /// own API, as an older smithlog could have recorded it.
    private func copySft(from source: String, to name: String, store: String) throws {
        let log = try EventLog.open(at: StoreLocation(root: store))
        var copies: [NewEvent] = []
        let headID = Digest.sha256(Array("build of \(name)".utf8))
        try log.forEach(stream: "sft/" + source) { event in
            guard case .object(var pairs) = try event.payload() else { return true }
            for i in pairs.indices {
                switch pairs[i].0 {
                case "name", "dataset": pairs[i].1 = .string(name)
                case "file_name": pairs[i].1 = .string("ft_xml_\(name).jsonl")
                case "build": pairs[i].1 = .string(headID.hex)
                default: break
                }
            }
            copies.append(
                NewEvent(
                    type: event.type, schemaVersion: event.schemaVersion, stream: "sft/" + name,
                    payload: .object(pairs), blobs: event.blobs, id: event.type == "SftDatasetBuilt" ? headID : nil))
            return true
        }
        #expect(copies.count == 7)
        try log.append(copies)
    }
}
