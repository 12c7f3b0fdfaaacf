import Foundation
import Testing

/// `smithlog serve` at start: a missing or damaged store gives one line and the usual exit status, bad options
/// exit 64, and `--export` writes the pages (the SFT download byte-identical to `sft export`).
@Suite("serve")
struct ServeCommandTests {
    @Test("a missing store: the same line and status as every reading command")
    func missingStore() throws {
        let cli = CLIHarness()
        let serve = try cli.run(["serve", "--port", "0"])
        let log = try cli.run(["log"])
        #expect(serve.status == log.status)
        #expect(serve.status != 0)
        #expect(serve.stderr == log.stderr)
        #expect(stderrLines(serve).count == 1)
    }

    @Test("a damaged store: exit 4 and one line, before listening")
    func damagedStore() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let path = cli.store + "/log/data.mdb"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try original.prefix(3000).write(to: URL(fileURLWithPath: path))
        let r = try cli.run(["serve", "--port", "0"])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(stderrLines(r).count == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test("bad options exit 64")
    func usage() throws {
        let cli = CLIHarness()
        #expect(try cli.run(["serve", "--port", "70000"]).status == 64)
        #expect(try cli.run(["serve", "--only", "x"]).status == 64)
    }

    @Test("--export writes the pages; --only limits them; the download is the `sft export` file")
    func export() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let prompt = CLIHarness.sample + "/agent/swesmith_infer.yaml"
        try cli.ok([
            "sft", "build", "s", "--traj-run", "sample-run", "--eval-run", "sample-eval", "--system-prompt-from",
            prompt,
        ])
        let dir = cli.dir + "/site"
        let r = try cli.ok(["serve", "--export", dir])
        #expect(r.stderr.contains("serve --export:"))
        for page in ["index.html", "runs/sample-run@1/index.html", "sft/s@1/index.html", "static/app.js"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + page), "\(page)")
        }
        let exported = try cli.ok(["sft", "export", "s", "-o", "-"]).stdoutBytes
        #expect(try cli.read(dir + "/sft/s@1/download") == exported)
        let only = cli.dir + "/only"
        try cli.ok(["serve", "--export", only, "--only", "s"])
        #expect(FileManager.default.fileExists(atPath: only + "/sft/s@1/index.html"))
        #expect(!FileManager.default.fileExists(atPath: only + "/runs/sample-run@1/index.html"))
    }

    @Test("the runs page counts the members of the subset a run was matched to (recorded as NAME@N)")
    func runsPageSubsetMembers() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok([
            "dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", "swesmith-sample",
        ])
        try cli.ok(["subset", "create", "first-eight", "--dataset", "swesmith-sample", "--where", "position < 8"])
        try cli.ok(["ingest", "trajectories", CLIHarness.runFolder, "--run", "sample-run"])
        let dir = cli.dir + "/site"
        try cli.ok(["serve", "--export", dir])
        let page = try String(decoding: cli.read(dir + "/runs/index.html"), as: UTF8.self)
        // subset, expected, present, missing
        #expect(
            page.contains(#"<td>first-eight@1</td><td class="num">8</td><td class="num">8</td><td class="num">0</td>"#))
    }

    @Test("--port 0 prints the URL with the port bound; Ctrl-C stops it cleanly (exit 0)")
    func startsAndStopsOnInterrupt() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let p = Process()
        p.executableURL = CLIHarness.binary
        p.arguments = ["serve", "--port", "0", "--store", cli.store]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The first line is printed once the server listens.
        var line: [UInt8] = []
        while let byte = try out.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("smithlog serve: http://127.0.0.1:"))
        #expect(!text.contains(":0/"))
        p.interrupt()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(p.terminationReason == .exit)
    }
}
