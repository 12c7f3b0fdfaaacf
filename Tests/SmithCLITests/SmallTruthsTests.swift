import Foundation
import SmithJSON
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 19's small truths, end to end: an exact McNemar p, `compare`'s id lists, articles, the actor without
/// `$USER`, the byte totals of `stats` and `verify`, a benchmark result's cost, and the demo.
@Suite("CLI: small truths")
struct SmallTruthsTests {
    /// Real-shaped SWE-bench ids (only their shape is checked): `django__django-<n>`.
    static func ids(_ range: Range<Int>) -> [String] { range.map { "django__django-\(11_000 + $0)" } }

    /// Writes a SWE-bench harness run report (schema_version 2) on Verified resolving `resolved` of `submitted`.
    static func writeReport(
        _ cli: CLIHarness, _ name: String, submitted: [String], resolved: [String],
        extra: [(String, JSONValue)] = []
    ) throws -> String {
        let unresolved = submitted.filter { !resolved.contains($0) }
        func list(_ ids: [String]) -> JSONValue { .array(ids.map(JSONValue.string)) }
        let report: JSONValue = .object(
            [
                ("total_instances", .int(500)), ("submitted_instances", .int(submitted.count)),
                ("completed_instances", .int(submitted.count)), ("resolved_instances", .int(resolved.count)),
                ("unresolved_instances", .int(unresolved.count)), ("empty_patch_instances", .int(0)),
                ("error_instances", .int(0)), ("completed_ids", list(submitted)), ("incomplete_ids", list([])),
                ("empty_patch_ids", list([])), ("submitted_ids", list(submitted)), ("resolved_ids", list(resolved)),
                ("unresolved_ids", list(unresolved)), ("error_ids", list([])), ("schema_version", .int(2)),
            ] + extra)
        let path = cli.dir + "/" + name + ".json"
        try Data(PythonJSON.dumps(report, indent: 2).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Two results on the same 20 instances: 5 resolved by both, then `onlyA` and `onlyB` by one side each.
    static func twoResults(_ cli: CLIHarness, onlyA: Int, onlyB: Int) throws {
        try cli.ok(["init"])
        let all = ids(0..<20)
        let both = Array(all[0..<5])
        let a = both + all[5..<(5 + onlyA)]
        let b = both + all[(5 + onlyA)..<(5 + onlyA + onlyB)]
        for (name, resolved) in [("result-a", a), ("result-b", b)] {
            let path = try writeReport(cli, name, submitted: all, resolved: resolved)
            try cli.ok(["bench", "record", path, "--benchmark", "swe-bench_verified", "--model", "m-" + name])
        }
    }

    @Test("McNemar p is exactly 1 when the discordant counts are equal, in text and JSON")
    func mcnemarIsOne() throws {
        let cli = CLIHarness()
        try Self.twoResults(cli, onlyA: 4, onlyB: 4)
        let text = try cli.ok(["compare", "result-a", "result-b"])
        #expect(text.stdout.contains("only by A: 4; only by B: 4\nexact McNemar p = 1\n"), "\(text.stdout)")
        let json = try JSONParser.parse(try cli.ok(["compare", "result-a", "result-b", "--json"]).stdout)
        #expect(json["mcnemar_exact_p"]?.doubleValue == 1)
        // Unequal counts: 2 · P(X ≤ 1) for X ~ Binomial(8, 1/2) = 18/256, printed to 4 significant digits.
        let other = CLIHarness()
        try Self.twoResults(other, onlyA: 1, onlyB: 7)
        #expect(try other.ok(["compare", "result-a", "result-b"]).stdout.contains("exact McNemar p = 0.07031\n"))
        let whole = try JSONParser.parse(try other.ok(["compare", "result-a", "result-b", "--json"]).stdout)
        #expect(whole["mcnemar_exact_p"] == .number("0.0703125"))
    }

    @Test("compare lists the instances resolved by one side only with --ids; --json always has them")
    func compareIds() throws {
        let cli = CLIHarness()
        try Self.twoResults(cli, onlyA: 6, onlyB: 2)
        let onlyA = Self.ids(5..<11)
        let plain = try cli.ok(["compare", "result-a", "result-b"])
        #expect(plain.stdout.contains("only by A: 6; only by B: 2"))
        #expect(plain.stdout.contains("django/django"), "the per-repo table: \(plain.stdout)")
        for id in onlyA { #expect(!plain.stdout.contains(id), "\(id) listed without --ids") }
        let listed = try cli.ok(["compare", "result-a", "result-b", "--ids"])
        for id in onlyA { #expect(listed.stdout.contains("  " + id + "\n")) }
        let json = try JSONParser.parse(try cli.ok(["compare", "result-a", "result-b", "--json"]).stdout)
        #expect(json["only_a"] == .array(onlyA.map(JSONValue.string)))
        #expect(json["only_b"]?.arrayValue?.count == 2)
    }

    @Test("an eval run compared with a benchmark result is called 'an eval run'")
    func article() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let path = try Self.writeReport(cli, "result-a", submitted: Self.ids(0..<4), resolved: Self.ids(0..<2))
        try cli.ok(["bench", "record", path, "--benchmark", "swe-bench_verified", "--model", "m"])
        let r = try cli.run(["compare", "sample-eval", "result-a"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("'sample-eval' is an eval run but 'result-a' is a benchmark result"), "\(r.stderr)")
        #expect(!r.stderr.contains(" a eval"))
    }

    /// The name the password database gives this process's effective uid, or the uid as a number.
    static func uidName() -> String {
        let uid = geteuid()
        guard let entry = getpwuid(uid) else { return String(uid) }
        let name: UnsafeMutablePointer<CChar>? = entry.pointee.pw_name
        return name.map { String(cString: $0) } ?? String(uid)
    }

    @Test("without $USER the actor is the uid's name, not 'unknown'; with it, $USER")
    func actorWithoutUser() throws {
        let cli = CLIHarness()
        try #require(try cli.run(["init"], unset: ["USER"]).status == 0)
        let path = try Self.writeReport(cli, "result-a", submitted: Self.ids(0..<4), resolved: Self.ids(0..<2))
        let bench = ["bench", "record", path, "--benchmark", "swe-bench_verified", "--model", "m"]
        #expect(try cli.run(bench, unset: ["USER"]).status == 0)
        #expect(try cli.run(bench + ["--name", "again"], environment: ["USER": "alice"]).status == 0)
        let actors = try cli.ok(["log", "--json"]).stdout.split(separator: "\n").map {
            try JSONParser.parse(String($0))["actor"]?.stringValue ?? ""
        }
        #expect(actors.count == 2)
        let expected = Self.uidName()
        #expect(!expected.isEmpty)
        #expect(actors.first?.hasPrefix(expected + "@") == true, "\(actors)")
        #expect(actors.first?.hasPrefix("unknown@") == false)
        #expect(actors.last?.hasPrefix("alice@") == true, "\(actors)")
    }

    /// `X raw` after `marker` in `text`: the byte total a line reports.
    static func rawBytes(_ text: String, after marker: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(marker) }),
            let end = line.range(of: " raw")
        else { return nil }
        let head = line[..<end.lowerBound]
        guard let start = head.lastIndex(where: { $0 == ":" || $0 == "(" }) else { return nil }
        return head[head.index(after: start)...].trimmingCharacters(in: .whitespaces)
    }

    @Test("stats and verify report the same blob count and raw byte total for a store with packs")
    func statsAndVerifyAgree() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()  // the dataset's rows are stored as a pack and its slices
        let stats = try cli.ok(["stats"]).stdout
        let verify = try cli.ok(["verify"]).stdout
        let statsRaw = try #require(Self.rawBytes(stats, after: "blobs "), "\(stats)")
        let verifyRaw = try #require(Self.rawBytes(verify, after: "re-hashed"), "\(verify)")
        #expect(statsRaw == verifyRaw, "stats: \(stats)\nverify: \(verify)")
        let json = try JSONParser.parse(try cli.ok(["stats", "--json"]).stdout)
        let blobs = Int(try #require(json["blobs"]?.doubleValue))
        #expect(verify.contains(" \(blobs) blobs re-hashed"), "\(verify)")
    }

    @Test("bench record --cost, or the report's per-instance costs, is the result's cost in leaderboard and compare")
    func cost() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let given = try Self.writeReport(cli, "given", submitted: Self.ids(0..<4), resolved: Self.ids(0..<2))
        try cli.ok(["bench", "record", given, "--benchmark", "swe-bench_verified", "--model", "m", "--cost", "12.5"])
        let details: JSONValue = .object(
            Self.ids(0..<4).enumerated().map { i, id in
                (id, .object([("resolved", .bool(i < 3)), ("cost", .number(["0.25", "0.5", "1.25", "2"][i]))]))
            })
        let perInstance = try Self.writeReport(
            cli, "per-instance", submitted: Self.ids(0..<4), resolved: Self.ids(0..<3),
            extra: [("per_instance_details", details)])
        try cli.ok(["bench", "record", perInstance, "--benchmark", "swe-bench_verified", "--model", "m2"])
        let noCost = try Self.writeReport(cli, "no-cost", submitted: Self.ids(0..<4), resolved: Self.ids(0..<1))
        try cli.ok(["bench", "record", noCost, "--benchmark", "swe-bench_verified", "--model", "m3"])

        let rows = try JSONParser.parse(try cli.ok(["leaderboard", "--json"]).stdout).arrayValue ?? []
        func cost(_ name: String) -> JSONValue? { rows.first { $0["name"]?.stringValue == name }?["cost"] }
        #expect(cost("given") == .number("12.5"))
        #expect(cost("per-instance") == .number("4.0"))
        #expect(cost("no-cost") == .null)
        #expect(try cli.ok(["leaderboard"]).stdout.contains("$12.50"))
        #expect(try cli.ok(["compare", "given", "per-instance"]).stdout.contains("cost $12.50"))
        #expect(try cli.head("bench", "per-instance")["cost"] == .number("4.0"))

        let bad = try cli.run([
            "bench", "record", noCost, "--benchmark", "swe-bench_verified", "--model", "x",
            "--name", "bad", "--cost=-1",
        ])
        #expect(bad.status == 1)
        #expect(stderrLines(bad).count == 1 && bad.stderr.contains("--cost"), "\(bad.stderr)")
        let badDetails = try Self.writeReport(
            cli, "bad-details", submitted: Self.ids(0..<4), resolved: [],
            extra: [("per_instance_details", .object([(Self.ids(0..<1)[0], .object([("cost", .string("$1"))]))]))])
        let refused = try cli.run(["bench", "record", badDetails, "--benchmark", "swe-bench_verified", "--model", "x"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("$.per_instance_details[\"django__django-11000\"].cost"), "\(refused.stderr)")
    }

    @Test("tools/demo: its output fits 120 columns, and its xml-v1 and xml-v2 exports differ")
    func demo() throws {
        let cli = CLIHarness()
        let out = cli.dir + "/demo-out"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIHarness.repoRoot + "/tools/demo")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SMITHLOG_STORE")
        env["SMITHLOG_BIN"] = CLIHarness.binary.path
        env["SMITHLOG_DEMO_OUT"] = out
        env["COLUMNS"] = "120"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        // stdout to a file: read after the exit, while stderr's pipe is read as it comes.
        let stdoutPath = cli.dir + "/demo.stdout"
        #expect(FileManager.default.createFile(atPath: stdoutPath, contents: nil))
        let stdoutFile = try #require(FileHandle(forWritingAtPath: stdoutPath))
        p.standardOutput = stdoutFile
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(stderr)")
        try stdoutFile.close()
        let stdout = String(decoding: try cli.read(stdoutPath), as: UTF8.self)
        #expect(stdout.contains("leaderboard") || stdout.contains("rank"))
        // The commands it echoes, the commands' summaries and their tables.
        // Measured as if in demo-out/, where a user runs it (the temporary folder's path is longer).
        for line in (stderr + stdout).split(separator: "\n") {
            let shown = line.replacingOccurrences(of: out, with: "demo-out")
            #expect(shown.count <= 120, "\(shown.count) columns: \(shown)")
        }
        let v1 = try cli.read(out + "/ft_xml_sample-sft.jsonl")
        let v2 = try cli.read(out + "/ft_xml_sample-sft-v2.jsonl")
        #expect(!v1.isEmpty && v1 != v2)
        #expect(stderr.contains("differ"))
    }
}
