import Foundation
import SmithJSON
import Testing

@Suite("CLI: sft export --format collect|list, sft import")
struct SftFormatAndImportTests {
    static let published = CLIHarness.repoRoot + "/Tests/Fixtures/swe-smith/ft_xml_example.jsonl"
    var prompt: String { CLIHarness.sample + "/agent/swesmith_infer.yaml" }

    /// The file's lines, sorted by their bytes.
    func sortedLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10).map(Array.init).sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test("--format collect equals swesmith 0.0.9's collect_trajs file on the sample run, lines sorted")
    func collectMatchesReference() throws {
        let cli = try SftCommandTests().pipeline()
        // collect_trajs takes every trajectory with a report, resolved or not, through swesmith 0.0.9's xml.
        let build = try cli.run([
            "sft", "build", "c", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--transform", "xml-v2",
            "--no-only-resolved", "--system-prompt-from", prompt,
        ])
        #expect(build.status == 0, "\(build.stderr)")
        let out = cli.dir + "/collect.jsonl"
        // The path as the reference run typed it (tools/golden/collect.py): traj_id hashes that string.
        let export = try cli.run([
            "sft", "export", "c", "--format", "collect", "--traj-dir", "trajectories/lead/sample-run", "-o", out,
        ])
        #expect(export.status == 0, "\(export.stderr)")
        let expected = try cli.read(CLIHarness.golden + "/sft-collect-sample.jsonl")
        let got = try cli.read(out)
        // collect_trajs writes lines in the order its threads finish, which varies run to run: both sides are
        // sorted; each line is compared byte for byte.
        #expect(sortedLines(got) == sortedLines(expected))
        #expect(got.count == expected.count)

        // Without --traj-dir the hash is of the run folder recorded at ingest (its absolute path), from the log
        // alone: the run folder may be gone.
        try FileManager.default.removeItem(atPath: cli.dir + "/trajectories")
        let plain = try cli.run(["sft", "export", "c", "--format", "collect", "-o", "-"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let ids = try plain.stdout.split(separator: "\n").map {
            try JSONParser.parse(String($0))["traj_id"]?.stringValue ?? ""
        }
        #expect(ids.count == 8)
        #expect(ids.allSatisfy { !$0.hasSuffix(".jj6mhmd5") && $0.split(separator: ".").last?.count == 8 })
    }

    @Test("--format list equals transform_to_ft_list's lines (xml-v1, the resolved trajectories), byte for byte")
    func listMatchesReference() throws {
        let cli = try SftCommandTests().pipeline()
        #expect(
            try cli.run([
                "sft", "build", "s1", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from",
                prompt,
            ]).status == 0)
        let export = try cli.run(["sft", "export", "s1", "--format", "list"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("s1@1 as list to ft_xml_s1.list.jsonl"))
        #expect(
            try cli.read(cli.dir + "/ft_xml_s1.list.jsonl") == cli.read(CLIHarness.golden + "/sft-list-sample.jsonl"))
        // The default format is unchanged.
        #expect(try cli.run(["sft", "export", "s1", "--format", "ft", "-o", cli.dir + "/ft.jsonl"]).status == 0)
        #expect(try cli.run(["sft", "export", "s1", "-o", cli.dir + "/plain.jsonl"]).status == 0)
        #expect(try cli.read(cli.dir + "/ft.jsonl") == cli.read(cli.dir + "/plain.jsonl"))
        let bad = try cli.run(["sft", "export", "s1", "--format", "csv"])
        #expect(bad.status == 64)
        #expect(try cli.run(["sft", "export", "s1", "--traj-dir", "x"]).status == 64)
    }

    @Test("sft import of SWE-smith's published ft_xml_example.jsonl: same bytes back, a config naming it links by hash")
    func importPublishedSet() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let imported = try cli.run(["sft", "import", Self.published, "--name", "swesmith-example"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stderr.contains(
                "sft import: 3 lines (ft_xml_example.jsonl), 3 with an instance id, 0 of them known to the store"))
        let original = try cli.read(Self.published)
        #expect(try cli.run(["sft", "export", "swesmith-example", "-o", cli.dir + "/back.jsonl"]).status == 0)
        #expect(try cli.read(cli.dir + "/back.jsonl") == original)
        // Without -o: the file's own name, in the current folder.
        #expect(try cli.run(["sft", "export", "swesmith-example"]).status == 0)
        #expect(try cli.read(cli.dir + "/ft_xml_example.jsonl") == original)
        let again = try cli.run(["sft", "import", Self.published, "--name", "swesmith-example"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 new events"))

        // A torchtune config whose data file is a renamed copy: matched by its SHA-256 alone.
        try FileManager.default.createDirectory(atPath: cli.dir + "/data", withIntermediateDirectories: true)
        try Data(original).write(to: URL(fileURLWithPath: cli.dir + "/data/train.jsonl"))
        var config = try String(contentsOfFile: CLIHarness.sample + "/configs/train_qwen_7b.yml", encoding: .utf8)
        config = config.replacingOccurrences(
            of: "trajectories_sft/ft_xml_sample-sft.jsonl", with: cli.dir + "/data/train.jsonl")
        try config.write(toFile: cli.dir + "/train.yml", atomically: true, encoding: .utf8)
        let record = try cli.run(["checkpoint", "record", "--config", cli.dir + "/train.yml", "--name", "ck"])
        #expect(record.status == 0, "\(record.stderr)")
        let checkpoint = try cli.head("checkpoint", "ck")
        #expect(checkpoint["sft_dataset"]?.stringValue == "swesmith-example@1")
        #expect(checkpoint["sft_match"]?.stringValue == "sha256")

        // list drops instance_id from any line; collect needs a dataset built from a run.
        let list = try cli.run(["sft", "export", "swesmith-example", "--format", "list", "-o", "-"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").count == 3)
        #expect(!list.stdout.contains("\"instance_id\""))
        let collect = try cli.run(["sft", "export", "swesmith-example", "--format", "collect", "-o", "-"])
        #expect(collect.status == 1)
        #expect(collect.stderr.contains("not built from a run"))
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test("sft import links the lines' instance ids to the task instances the store knows")
    func importLinksInstances() throws {
        let cli = try SftCommandTests().pipeline()
        try cli.run(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"])
        #expect(
            try cli.run([
                "sft", "build", "s1", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from",
                prompt,
            ]).status == 0)
        #expect(try cli.run(["sft", "export", "s1", "-o", cli.dir + "/s1.jsonl"]).status == 0)
        var bytes = try cli.read(cli.dir + "/s1.jsonl")
        bytes += Array(#"{"messages": [], "note": "no id"}"#.utf8)  // no newline at the end: kept as it is
        try Data(bytes).write(to: URL(fileURLWithPath: cli.dir + "/mine.jsonl"))
        let r = try cli.run(["sft", "import", cli.dir + "/mine.jsonl", "--name", "mine"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("7 lines (mine.jsonl), 6 with an instance id, 6 of them known to the store"))
        #expect(try cli.run(["sft", "export", "mine", "-o", cli.dir + "/back.jsonl"]).status == 0)
        #expect(try cli.read(cli.dir + "/back.jsonl") == bytes)
        let linked = try cli.run([
            "sql", "--json",
            "SELECT count(*) AS n FROM sft_samples s JOIN instances i ON i.instance_id = s.instance_id "
                + "WHERE s.dataset = 'mine'",
        ])
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linked.stdout.contains("6"))
    }

    @Test("sft import refuses, in one line and recording nothing: not jsonl of objects, an empty file, a bad name")
    func importRefusals() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let before = try cli.run(["log", "--json"]).stdout
        let cases: [(String, String)] = [
            ("empty.jsonl", ""),
            ("array.jsonl", "[1, 2]\n"),
            ("text.jsonl", "{\"messages\": []}\nnot json\n"),
            ("blank.jsonl", "{\"messages\": []}\n\n"),
            ("dataset.json", "[\n  {\"instance_id\": \"a\"}\n]\n"),
        ]
        for (name, text) in cases {
            let path = cli.dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try cli.run(["sft", "import", path, "--name", "x"])
            #expect(r.status == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(path), "\(name): \(r.stderr)")
        }
        let badName = try cli.run(["sft", "import", Self.published, "--name", "a/b"])
        #expect(badName.status != 0)
        #expect(badName.stderr.split(separator: "\n").count == 1, "\(badName.stderr)")
        #expect(try cli.run(["sft", "import", cli.dir + "/missing.jsonl", "--name", "x"]).status != 0)
        #expect(try cli.run(["log", "--json"]).stdout == before)
    }

    @Test("sft build --transform mini-v1 implies the mini style and needs no system prompt; --style xml refuses it")
    func miniTransformFlags() throws {
        let cli = try SftCommandTests().pipeline()
        let args = ["--traj-run", "sample-run", "--eval-run", "sample-eval"]
        // The sample run is SWE-agent's: mini-v1 refuses each trajectory (no trajectory_format), so whatever the
        // outcome of a build with no line, it is not a usage error about the style or the prompt.
        let mini = try cli.run(["sft", "build", "m", "--transform", "mini-v1"] + args)
        #expect(!mini.stderr.contains("not an xml transform"), "\(mini.stderr)")
        #expect(!mini.stderr.contains("--system-prompt-from"), "\(mini.stderr)")
        #expect(mini.stderr.contains("transform_failed") || mini.stderr.contains("0 lines"), "\(mini.stderr)")
        let wrong = try cli.run(["sft", "build", "m", "--style", "xml", "--transform", "mini-v1"] + args)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("not an xml transform"))
        let help = try cli.run(["sft", "build", "--help"], storeOption: false)
        #expect(help.stdout.contains("mini-v1"))
    }
}
