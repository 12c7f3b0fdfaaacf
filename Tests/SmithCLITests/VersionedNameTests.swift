import Foundation
import SmithJSON
import SmithStore
import Testing

/// Recording other content under a recorded name is refused (one line naming the version and its hash, the log
/// unchanged) unless `--new-version`; what was recorded against the old version stays pinned to it.
@Suite("CLI: versioned names")
struct VersionedNameTests {
    @Test("a second sft build with other inputs is refused; --new-version records X@2; the checkpoint keeps X@1")
    func sftRebuilt() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let build = [
            "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ]
        try cli.ok(build)
        // The data file torchtune reads, where the config names it (relative to where training runs).
        let dataFile = cli.dir + "/trajectories_sft/ft_xml_sample-sft.jsonl"
        try FileManager.default.createDirectory(
            atPath: cli.dir + "/trajectories_sft", withIntermediateDirectories: true)
        try cli.ok(["sft", "export", "sample-sft", "-o", dataFile])
        let v1Bytes = try cli.read(dataFile)
        let v1Hash = Digest.sha256(v1Bytes).hex
        try cli.ok(["checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "ckpt"])
        #expect(try cli.head("checkpoint", "ckpt")["sft_dataset"]?.stringValue == "sample-sft@1")

        // The same inputs again: nothing added.
        let before = try cli.logLines()
        let again = try cli.run(build)
        #expect(again.status == 0)
        #expect(again.stderr.contains("already recorded as sample-sft@1"))
        #expect(try cli.logLines() == before)

        // Other inputs: refused with one line naming X@1 and its export hash; the log is unchanged, and no blob
        // of the refused lines is stored.
        let blobs = try blobCount(cli)
        let refused = try cli.run(build + ["--transform", "xml-v2"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("sample-sft@1") && refused.stderr.contains(String(v1Hash.prefix(8))))
        #expect(refused.stderr.contains("--new-version"))
        #expect(try cli.logLines() == before)
        #expect(try blobCount(cli) == blobs)

        // --new-version records X@2 (here with the unresolved trajectories too, so its bytes differ).
        let v2 = try cli.run(build + ["--transform", "xml-v2", "--no-only-resolved", "--new-version"])
        #expect(v2.status == 0, "\(v2.stderr)")
        #expect(v2.stderr.contains("recorded as sample-sft@2"))
        let latest = try cli.ok(["sft", "export", "sample-sft", "-o", cli.dir + "/latest.jsonl"])
        #expect(latest.stderr.contains("sample-sft@2"))
        #expect(try cli.read(cli.dir + "/latest.jsonl") != v1Bytes)

        // X@1 still exports the bytes the checkpoint trained on, and the checkpoint still points at X@1.
        try cli.ok(["sft", "export", "sample-sft@1", "-o", cli.dir + "/v1.jsonl"])
        #expect(try cli.read(cli.dir + "/v1.jsonl") == v1Bytes)
        #expect(try cli.head("checkpoint", "ckpt")["sft_dataset"]?.stringValue == "sample-sft@1")
        // The checkpoint recorded again (same config, epoch, folder) adds nothing and still matches X@1.
        let ckptAgain = try cli.run([
            "checkpoint", "record", "--config", CLIHarness.trainConfig, "--epoch", "3", "--name", "ckpt",
        ])
        #expect(ckptAgain.stderr.contains("already recorded as ckpt@1"))
        // lineage is the Projections/Queries side: it must name the version the checkpoint trained on.
        let lineage = try cli.run(["lineage", "ckpt"])
        #expect(lineage.status == 0, "\(lineage.stderr)")
        #expect(lineage.stdout.contains("sample-sft@1"))
        #expect(!lineage.stdout.contains("sample-sft@2"))
    }

    @Test("a redefined subset is refused, --new-version records S@2, and the run keeps S@1")
    func subsetRedefined() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", "d"])
        try cli.ok(["subset", "create", "S", "--dataset", "d", "--where", "position < 8"])
        let v1 = try cli.ok(["subset", "export", "S", "-o", "-"]).stdoutBytes
        // The run's instances are S's members: RunStarted pins the version in force.
        try cli.ok(["ingest", "trajectories", CLIHarness.runFolder, "--run", "r"])
        #expect(try cli.head("run", "r")["subset"]?.stringValue == "S@1")
        #expect(try cli.head("subset", "S")["dataset"]?.stringValue == "d@1")

        let before = try cli.logLines()
        let same = try cli.run(["subset", "create", "S", "--dataset", "d", "--where", "position < 8"])
        #expect(same.status == 0 && same.stderr.contains("already recorded as S@1"))
        let subsetBlobs = try blobCount(cli)
        let refused = try cli.run(["subset", "create", "S", "--dataset", "d", "--where", "position < 4"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("S@1") && refused.stderr.contains("position < 8"))
        #expect(try cli.logLines() == before)
        #expect(try blobCount(cli) == subsetBlobs)

        let v2 = try cli.run(["subset", "create", "S", "--dataset", "d", "--where", "position < 4", "--new-version"])
        #expect(v2.status == 0 && v2.stderr.contains("recorded as S@2"), "\(v2.stderr)")
        // One SubsetDefined, its four members in the blob it cites.
        #expect(try cli.logLines() == before + 1)
        #expect(try cli.ok(["subset", "export", "S@1", "-o", "-"]).stdoutBytes == v1)
        #expect(try cli.ok(["subset", "export", "S", "-o", "-"]).stdoutBytes != v1)
        #expect(try cli.head("run", "r")["subset"]?.stringValue == "S@1")
    }

    @Test("a re-recorded benchmark result is refused; --new-version records R@2; R@1 keeps its report")
    func benchRerecorded() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let files = try FileManager.default.contentsOfDirectory(atPath: CLIHarness.verified)
            .filter { $0.hasSuffix(".verified.json") }.sorted()
        let (a, b) = (CLIHarness.verified + "/" + files[0], CLIHarness.verified + "/" + files[1])
        let record = ["bench", "record", "--benchmark", "swe-bench_verified", "--model", "m", "--name", "R"]
        try cli.ok(record + [a])
        let before = try cli.logLines()
        let same = try cli.run(record + [a])
        #expect(same.status == 0 && same.stderr.contains("already recorded as R@1"))
        let benchBlobs = try blobCount(cli)
        let refused = try cli.run(record + [b])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        let aHash = Digest.sha256(try cli.read(a)).hex
        #expect(refused.stderr.contains("R@1") && refused.stderr.contains(String(aHash.prefix(8))))
        #expect(try cli.logLines() == before)
        #expect(try blobCount(cli) == benchBlobs)
        let v2 = try cli.run(record + [b, "--new-version"])
        #expect(v2.status == 0 && v2.stderr.contains("recorded as R@2"), "\(v2.stderr)")
        #expect(try cli.head("bench", "R@1")["report_sha256"]?.stringValue == aHash)
        #expect(try cli.head("bench", "R")["report_sha256"]?.stringValue == Digest.sha256(try cli.read(b)).hex)
    }

    @Test("a second folder under a recorded run name is refused; the same folder again adds nothing")
    func runFolders() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["ingest", "trajectories", CLIHarness.runFolder, "--run", "r"])
        let before = try cli.logLines()
        let again = try cli.run(["ingest", "trajectories", CLIHarness.runFolder, "--run", "r"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("already recorded as r@1"))
        #expect(try cli.logLines() == before)

        let other = try cli.copy(CLIHarness.runFolder, to: "elsewhere/r")
        let refused = try cli.run(["ingest", "trajectories", other, "--run", "r"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("r@1") && refused.stderr.contains("--new-version"))
        #expect(try cli.logLines() == before)
        // The name defaulted from the folder name (`r`): the refusal says so and suggests --run.
        let byFolderName = try cli.run(["ingest", "trajectories", other])
        #expect(byFolderName.status == 1)
        #expect(stderrLines(byFolderName).count == 1)
        #expect(byFolderName.stderr.contains("taken from the folder name") && byFolderName.stderr.contains("--run"))
        #expect(try cli.logLines() == before)

        // A resumed run grows: a trajectory added to the same folder is appended, with no second RunStarted.
        let grown = try cli.copy(CLIHarness.runFolder, to: "grow/g")
        let ids = try FileManager.default.contentsOfDirectory(atPath: grown).filter {
            FileManager.default.fileExists(atPath: "\(grown)/\($0)/\($0).traj")
        }.sorted()
        let held = cli.dir + "/held"
        try FileManager.default.moveItem(atPath: "\(grown)/\(ids[0])", toPath: held)
        #expect(try cli.run(["ingest", "trajectories", grown, "--run", "g"]).status == 0)
        let partial = try cli.logLines()
        try FileManager.default.moveItem(atPath: held, toPath: "\(grown)/\(ids[0])")
        let resumed = try cli.run(["ingest", "trajectories", grown, "--run", "g"])
        #expect(resumed.status == 0)
        #expect(resumed.stderr.contains("added to g@1"))
        #expect(resumed.stderr.hasSuffix("1 new event, 8 already recorded, 0 skipped\n"))
        #expect(try cli.logLines() == partial + 1)
    }
}

@Suite("CLI: two processes recording one name")
struct NameRaceTests {
    @Test("two sft builds of one new name with other inputs at once: exactly one records X@1, the other is refused")
    func sftBuildRace() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let before = try cli.logLines()
        let common = [
            "sft", "build", "raced", "--traj-run", "sample-run", "--eval-run", "sample-eval",
            "--system-prompt-from", CLIHarness.inferConfig,
        ]
        let variants = [common + ["--transform", "xml-v1"], common + ["--transform", "xml-v2"]]
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = try? cli.run(variants[i])
            results.set(i, r)
        }
        let statuses = results.all.map { $0?.status }
        #expect(statuses.filter { $0 == 0 }.count == 1, "\(results.all.map { $0?.stderr ?? "" })")
        #expect(statuses.filter { $0 == 1 }.count == 1)
        // One SftDatasetBuilt: whichever came second saw X@1 (before or inside its transaction) and wrote nothing.
        let heads = try cli.run(["log", "--type", "SftDatasetBuilt", "--json"]).stdout.split(separator: "\n")
        #expect(heads.count == 1)
        #expect(try cli.logLines() > before)
    }
}

/// Results of concurrent runs, one slot each; the lock orders the writes.
private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [CLIHarness.Result?] = [nil, nil]

    func set(_ i: Int, _ r: CLIHarness.Result?) { lock.withLock { slots[i] = r } }
    var all: [CLIHarness.Result?] { lock.withLock { slots } }
}

// `run` keeps no state between calls (each starts its own process), so two threads may call it at once.
extension CLIHarness: @unchecked Sendable {}

/// The number of blobs the store at `cli` holds, as `stats --json` counts them.
private func blobCount(_ cli: CLIHarness) throws -> Int {
    let stats = try JSONParser.parse(try cli.ok(["stats", "--json"]).stdout)
    return Int(try #require(stats["blobs"]?.doubleValue))
}
