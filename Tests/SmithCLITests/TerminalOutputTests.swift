import Foundation
import SmithJSON
import SmithStore
import Testing

/// Tables fit the terminal (`COLUMNS`), machine output (`--csv`, `--json`) is whole and exact.
@Suite("CLI: tables fit the terminal, machine output is right")
struct TerminalOutputTests {
    /// The sample pipeline (dataset, subset, run, eval, SFT data, checkpoint, its score) and the 9 Verified
    /// submissions, whose names are up to 53 characters.
    static func pipeline() throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let s = CLIHarness.sample
        try cli.ok(["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"])
        try cli.ok([
            "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ])
        try FileManager.default.createDirectory(
            atPath: cli.dir + "/trajectories_sft", withIntermediateDirectories: true)
        try cli.ok(["sft", "export", "sample-sft", "-o", cli.dir + "/trajectories_sft/ft_xml_sample-sft.jsonl"])
        try cli.ok(["checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "ckpt"])
        try cli.ok([
            "bench", "record", s + "/bench/qwen-7b-sample.sample-bench.json", "--benchmark", "swe-bench_verified",
            "--checkpoint", "ckpt", "--name", "ckpt-verified",
        ])
        for file in try FileManager.default.contentsOfDirectory(atPath: CLIHarness.verified).sorted()
        where file.hasSuffix(".verified.json") {
            let stem = String(file.dropLast(".verified.json".count))
            try cli.ok([
                "bench", "record", CLIHarness.verified + "/" + file, "--benchmark", "swe-bench_verified", "--model",
                stem, "--name", stem,
            ])
        }
        return cli
    }

    /// The instance ids of the fixture runs (their trajectories and verdicts).
    static func instanceIDs(_ cli: CLIHarness) throws -> [String] {
        let sql = "SELECT instance_id FROM trajectories UNION SELECT instance_id FROM verdicts ORDER BY 1"
        let rows = try JSONParser.parse(try cli.ok(["sql", "--json", sql]).stdout).arrayValue ?? []
        return rows.compactMap { $0["instance_id"]?.stringValue }
    }

    /// Runs `args` with `COLUMNS` set (stdout is a pipe, so only `COLUMNS` gives the width).
    static func run(_ cli: CLIHarness, _ args: [String], columns: String) throws -> CLIHarness.Result {
        let r = try cli.run(args, environment: ["COLUMNS": columns])
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r
    }

    static func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

    @Test(
        "with COLUMNS=80 and 120 no table line is wider; names and instance ids appear whole",
        arguments: [80, 120])
    func tablesFit(width: Int) throws {
        let cli = try Self.pipeline()
        let ids = try Self.instanceIDs(cli)
        #expect(ids.count == 8)
        let history = "pandas-dev__pandas.95280573.pr_53652"
        let commands: [[String]] = [
            ["leaderboard"], ["leaderboard", "--wide"], ["history", history], ["history", history, "--wide"],
            ["lineage", "ckpt-verified"], ["sft", "list"], ["sft", "list", "--wide"],
            ["sft", "list", "--columns", "name,export_sha256"], ["log"], ["log", "--wide"],
            ["sql", "SELECT * FROM trajectories"], ["sql", "SELECT * FROM verdicts"], ["sql", "SELECT * FROM runs"],
            ["sql", "SELECT * FROM leaderboard"], ["sql", "--wide", "SELECT * FROM trajectory_history"],
        ]
        var outputs: [String: String] = [:]
        for args in commands {
            let out = try Self.run(cli, args, columns: String(width)).stdout
            outputs[args.joined(separator: " ")] = out
            #expect(!out.isEmpty, "\(args)")
            for line in Self.lines(out) {
                #expect(line.count <= width, "\(args) at \(width): \(line.count) characters: \(line)")
            }
        }
        // Tables listing instance ids show each whole, on one line.
        for key in ["sql SELECT * FROM trajectories", "sql SELECT * FROM verdicts"] {
            let text = try #require(outputs[key])
            for id in ids { #expect(text.contains(id), "\(key) at \(width) lacks \(id)") }
            #expect(!text.contains("…"), "\(key) cut a value")
        }
        // The log's streams name them: a stream longer than its column wraps, never cut.
        for key in ["log", "log --wide"] {
            let joined = try #require(outputs[key]).filter { !$0.isWhitespace }
            for id in ids { #expect(joined.contains("instance/" + id), "\(key) at \(width) cut \(id)") }
        }
        // Names are identifiers: never cut.
        for name in ["20251118_mini-v1.15.0_gemini-3-pro-preview-20251118@1", "ckpt-verified@1"] {
            #expect(try #require(outputs["leaderboard"]).contains(name))
        }
        let lineage = try #require(outputs["lineage ckpt-verified"])
        for label in [
            "ckpt-verified@1", "ckpt@1", "sample-sft@1", "sample-run@1", "sample-eval@1", "swesmith-sample@1",
        ] {
            #expect(lineage.contains(label), "lineage lacks \(label)")
        }
        #expect(try #require(outputs["sft list"]).contains("sample-sft"))
        // log has a header and aligned columns; times are ISO 8601.
        let log = Self.lines(try #require(outputs["log --wide"]))
        #expect(log[0].hasPrefix("seq") && log[0].contains("type") && log[0].contains("stream"))
        #expect(log[1].allSatisfy { $0 == "-" || $0 == " " })
        let typeColumn = try #require(log[0].range(of: "type")).lowerBound.utf16Offset(in: log[0])
        for line in log.dropFirst(2) where line.contains("Registered") {
            #expect(line.range(of: "InstanceRegistered")?.lowerBound.utf16Offset(in: line) == typeColumn)
        }
        #expect(log[2].contains { $0 == "T" } && log[2].contains("Z "))
        // Hashes are 12 characters in tables.
        let sftWide = try #require(outputs["sft list --columns name,export_sha256"])
        let hash = try #require(
            try JSONParser.parse(cli.ok(["sft", "list", "--json"]).stdout).arrayValue?.first?["export_sha256"]?
                .stringValue)
        #expect(hash.count == 64)
        #expect(sftWide.contains(hash.prefix(12)) && !sftWide.contains(hash.prefix(13)))
    }

    @Test("without a terminal or COLUMNS, tables print whole values: full hashes, long cells uncut")
    func wholeValuesWhenPiped() throws {
        let cli = try Self.pipeline()
        let sft = try Self.run(cli, ["sft", "list", "--wide"], columns: "")
        let hash = try JSONParser.parse(try cli.ok(["sql", "--json", "SELECT export_sha256 FROM sft_datasets"]).stdout)
            .arrayValue?.first?["export_sha256"]?.stringValue
        #expect(hash?.count == 64)
        #expect(sft.stdout.contains(try #require(hash)))
        let runs = try Self.run(cli, ["sql", "SELECT config_json FROM runs"], columns: "")
        #expect(!runs.stdout.contains("…"))
        #expect(Self.lines(runs.stdout).contains { $0.count > 200 })
        #expect(runs.stderr.isEmpty)
    }

    @Test("--columns picks and orders columns, --wide shows them all, an unknown column is a usage error")
    func columnsAndWide() throws {
        let cli = try Self.pipeline()
        let picked = try Self.run(cli, ["leaderboard", "--columns", "resolved_pct,name"], columns: "80")
        let header = Self.lines(picked.stdout)[0]
        #expect(header.hasPrefix("resolved %  name"))
        #expect(!header.contains("rank"))
        let wide = try Self.run(cli, ["leaderboard", "--wide"], columns: "")
        for column in ["rank", "model", "checkpoint", "split", "sft dataset", "traj run", "95% CI"] {
            #expect(Self.lines(wide.stdout)[0].contains(column), "--wide lacks \(column)")
        }
        let narrow = try Self.run(cli, ["leaderboard"], columns: "80")
        #expect(narrow.stderr.contains("left out to fit 80 columns"))
        for args in [["leaderboard"], ["sft", "list"], ["history", "pandas-dev__pandas.95280573.pr_53652"], ["log"]] {
            let bad = try cli.run(args + ["--columns", "nope"])
            #expect(bad.status == 64, "\(args)")
            #expect(stderrLines(bad).count == 1 && bad.stderr.contains("nope"))
        }
        let sql = try Self.run(cli, ["sql", "--columns", "instance_id", "SELECT * FROM verdicts"], columns: "")
        #expect(Self.lines(sql.stdout)[0] == "instance_id")
    }

    @Test("--csv is exactly the rows, each ended by \\n, in every command")
    func csv() throws {
        let cli = try Self.pipeline()
        let sql = "SELECT instance_id, resolved, of_run FROM verdicts ORDER BY instance_id"
        let rows = try JSONParser.parse(try cli.ok(["sql", "--json", sql]).stdout).arrayValue ?? []
        #expect(rows.count == 8)
        let expected =
            "instance_id,resolved,of_run\n"
            + rows.map { row in
                [
                    row["instance_id"]?.stringValue ?? "", row["resolved"].map { PythonJSON.dumps($0) } ?? "",
                    row["of_run"]?.stringValue ?? "",
                ].joined(separator: ",") + "\n"
            }.joined()
        #expect(try cli.ok(["sql", "--csv", sql]).stdout == expected)
        #expect(try cli.ok(["sql", "--csv", "SELECT 1 AS one WHERE 0"]).stdout == "one\n")
        let board = try cli.ok(["leaderboard", "--csv"]).stdout
        #expect(!board.contains("\r") && board.hasSuffix("\n") && !board.hasSuffix("\n\n"))
        #expect(board.split(separator: "\n").count == 11)
    }

    @Test("--json values are whole: full hashes, JSON booleans and nulls, never True/None")
    func json() throws {
        let cli = try Self.pipeline()
        let sft = try JSONParser.parse(try cli.ok(["sft", "list", "--json"]).stdout).arrayValue ?? []
        #expect(sft.first?["export_sha256"]?.stringValue?.count == 64)
        #expect(sft.first?["latest"] == .bool(true))
        let lineage = try JSONParser.parse(try cli.ok(["lineage", "ckpt-verified", "--json"]).stdout)
        var flags: [JSONValue] = []
        var hashes: [String] = []
        func walk(_ n: JSONValue) {
            for (key, value) in n["details"]?.objectValue ?? [] {
                if key == "only_resolved" { flags.append(value) }
                if key.hasSuffix("sha256"), let h = value.stringValue { hashes.append(h) }
            }
            for c in n["children"]?.arrayValue ?? [] { walk(c) }
        }
        walk(lineage)
        #expect(flags == [.bool(true)])
        #expect(!hashes.isEmpty && hashes.allSatisfy { $0.count == 64 })
        let board = try JSONParser.parse(try cli.ok(["leaderboard", "--json"]).stdout).arrayValue ?? []
        #expect(board.first?["checkpoint"] == .null)
        let outputs = try [
            ["leaderboard", "--json"], ["sft", "list", "--json"], ["lineage", "ckpt-verified", "--json"],
            ["history", "pandas-dev__pandas.95280573.pr_53652", "--json"], ["log", "--json"],
            ["sql", "--json", "SELECT * FROM verdicts"], ["sft", "show", "sample-sft", "--json"],
        ].map { try cli.ok($0).stdout }
        for text in outputs {
            for python in ["True", "False", "None"] { #expect(!text.contains(python)) }
        }
    }

    @Test("the people's views carry recorded_at_iso beside the integer recorded_at; tables show ISO times")
    func isoViews() throws {
        let cli = try Self.pipeline()
        for view in ["trajectory_history", "verdict_history", "resolved", "leaderboard", "timeline"] {
            let rows =
                try JSONParser.parse(
                    try cli.ok(["sql", "--json", "SELECT recorded_at, recorded_at_iso FROM \(view)"]).stdout
                ).arrayValue ?? []
            #expect(!rows.isEmpty, "\(view)")
            for row in rows {
                guard case .number(let digits) = row["recorded_at"], let ms = Int64(digits) else {
                    Issue.record("\(view): recorded_at is not an integer")
                    continue
                }
                #expect(row["recorded_at_iso"]?.stringValue == Timestamp.iso8601(milliseconds: ms), "\(view)")
            }
        }
        let kinds = try JSONParser.parse(try cli.ok(["sql", "--json", "SELECT DISTINCT kind FROM timeline"]).stdout)
            .arrayValue?.compactMap { $0["kind"]?.stringValue }
        #expect(Set(kinds ?? []) == ["dataset", "subset", "run", "eval", "sft", "checkpoint", "bench"])
        let history = try Self.run(cli, ["history", "pandas-dev__pandas.95280573.pr_53652"], columns: "")
        let time = try #require(Self.lines(history.stdout).dropFirst(2).first?.split(separator: " ").dropFirst().first)
        #expect(time.count == 20 && time.hasSuffix("Z") && time.contains("T"))
    }
}
