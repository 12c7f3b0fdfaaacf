import Foundation
import SmithJSON
import Testing

@Suite("CLI: store commands")
struct StoreCommandTests {
    @Test("init, log, show, stats and verify on a fresh store")
    func basics() throws {
        let cli = CLIHarness()
        #expect(try cli.run(["init"]).status == 0)
        let imported = try cli.run(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"])
        #expect(imported.status == 0)
        #expect(imported.stderr.contains("11 new events, 0 already recorded, 0 skipped"))

        let log = try cli.run(["log", "--json"])
        #expect(log.status == 0)
        let lines = log.stdout.split(separator: "\n")
        #expect(lines.count == 11)
        let first = try JSONParser.parse(String(lines[0]))
        #expect(first["seq"] == .number("1"))
        #expect(first["type"]?.stringValue == "InstanceRegistered")
        #expect(first["payload"]?["dataset"]?.stringValue == "swesmith-sample")

        let show = try cli.run(["show", "11"])
        #expect(show.status == 0)
        let shown = try JSONParser.parse(show.stdout)
        #expect(shown["type"]?.stringValue == "DatasetImported")
        let id = try #require(shown["id"]?.stringValue)
        #expect(try cli.run(["show", String(id.prefix(10))]).stdout == show.stdout)

        // The first row's exact bytes come back from the blob.
        let blob = try cli.run(["show", "1", "--first-blob"])
        let rows = try JSONParser.parse(try cli.read(CLIHarness.sample + "/datasets/swesmith-sample.json"))
        #expect(try JSONParser.parse(blob.stdoutBytes) == rows.arrayValue?.first)

        let stats = try cli.run(["stats", "--json"])
        let s = try JSONParser.parse(stats.stdout)
        #expect(s["events"] == .number("11"))
        #expect(s["events_by_type"]?["InstanceRegistered"] == .number("10"))
        // The ten rows and their pack are counted with the events that first name them.
        let registered = s["stored_by_type"]?["InstanceRegistered"]
        #expect(registered?["blobs"] == .number("10"))
        #expect(registered?["blob_raw_bytes"] == s["blob_raw_bytes"])
        #expect(s["stored_by_type"]?["DatasetImported"]?["blobs"] == .number("0"))

        let verify = try cli.run(["verify"])
        #expect(verify.status == 0)
        // Ten rows, each a slice of the one pack that holds them all.
        #expect(verify.stdout.hasPrefix("ok: 11 events chained, 11 blobs"))
    }

    @Test("bad stores and unknown values give one clear line and a non-zero exit")
    func badInput() throws {
        let cli = CLIHarness()
        #expect(FileManager.default.createFile(atPath: cli.store, contents: Data("x".utf8)))
        let isFile = try cli.run(["log"])
        #expect(isFile.status == 1)
        #expect(isFile.stderr == "smithlog: \(cli.store): is a file, not a store folder\n")

        let missing = try cli.run(["log", "--store", cli.dir + "/nowhere"], storeOption: false)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("run `smithlog init` first"))

        let corrupt = CLIHarness()
        try FileManager.default.createDirectory(atPath: corrupt.store + "/log", withIntermediateDirectories: true)
        try Data(repeating: 7, count: 8192).write(to: URL(fileURLWithPath: corrupt.store + "/log/data.mdb"))
        let c = try corrupt.run(["verify"])
        #expect(c.status == 4)
        #expect(c.stderr.split(separator: "\n").count == 1)
        #expect(c.stderr.contains("data.mdb") || c.stderr.contains("/log"))
        #expect(c.stderr.contains("not an LMDB file") || c.stderr.contains("Invalid"))

        let fresh = CLIHarness()
        #expect(try fresh.run(["init"]).status == 0)
        let unknown = try fresh.run(["show", "42"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr == "smithlog: no event with seq 42 (the log has 0 events)\n")
        let notHex = try fresh.run(["show", "zzz"])
        #expect(notHex.status == 3)
        #expect(!notHex.stderr.contains("Fatal"))
    }

    @Test("SMITHLOG_STORE picks the store when --store is absent")
    func storeFromEnvironment() throws {
        let cli = CLIHarness()
        let r = try cli.run(["init"], storeOption: false, environment: ["SMITHLOG_STORE": cli.dir + "/env-store"])
        #expect(r.status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.dir + "/env-store/log/data.mdb"))
    }
}
