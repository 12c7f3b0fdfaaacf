import Foundation
import SmithStore
import Testing

/// A damaged store gives exit 4 and one line from every command, never a crash; a log that lost committed
/// transactions is reported by `verify`, and appends are refused while `verify` would fail (issue 15).
@Suite("damaged store")
struct DamagedStoreTests {
    /// The sample's dataset and run (the evaluation is left for a later ingest).
    private func sampleStore() throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.ok(["init"])
        try cli.ok([
            "dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name", "swesmith-sample",
        ])
        try cli.ok(["ingest", "trajectories", CLIHarness.runFolder, "--run", "sample-run"])
        return cli
    }

    private let ingestEval = [
        "ingest", "eval", CLIHarness.evalFolder, "--run", "sample-eval", "--of-run", "sample-run",
    ]

    @Test("data.mdb truncated to 0, 8 KB, half, or one page short: exit 4 and one line from every command")
    func truncatedDataFile() throws {
        let cli = try sampleStore()
        let path = cli.store + "/log/data.mdb"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let newest = try LMDBDataFile.metaPages(path).max { $0.transaction < $1.transaction }!
        let onePageShort = Int(newest.requiredSize) - newest.pageSize
        let commands: [[String]] = [
            ["log"], ["sql", "SELECT 1"], ingestEval, ["verify"], ["rebuild"], ["stats"], ["show", "1"],
        ]
        for length in [0, 8192, original.count / 2, onePageShort] {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            for args in commands {
                let r = try cli.run(args)
                #expect(r.status == 4, "\(length) bytes, \(args): \(r.stderr)")
                #expect(stderrLines(r).count == 1, "\(length) bytes, \(args): \(r.stderr)")
                #expect(r.stderr.hasPrefix("smithlog: \(path): "), "\(length) bytes, \(args): \(r.stderr)")
                #expect(r.stderr.contains("(truncated?)"), "\(length) bytes, \(args): \(r.stderr)")
            }
        }
        try original.write(to: URL(fileURLWithPath: path))
        try cli.ok(["verify"])
    }

    @Test("a rolled-back meta page is reported by verify, and ingest is refused afterwards")
    func rolledBackMetaPage() throws {
        let cli = try sampleStore()
        let before = try cli.logLines()
        try cli.ok(ingestEval)
        try flipNewestTransactionID(cli.store + "/log/data.mdb")
        // LMDB now opens the transaction before the ingest: reads go on, from the older log.
        #expect(try cli.logLines() == before)

        let verify = try cli.run(["verify"])
        #expect(verify.status == 4)
        #expect(verify.stderr.contains("verify: lost committed transactions: log/head names event"))
        let ingest = try cli.run(ingestEval)
        #expect(ingest.status == 4, "\(ingest.stderr)")
        #expect(stderrLines(ingest).count == 1)
        #expect(ingest.stderr.contains("restore the store from a copy or pull from a remote"))
        #expect(try cli.logLines() == before)
    }

    @Test("damage found by verify blocks ingest until verify passes")
    func damageBlocksIngest() throws {
        let cli = try sampleStore()
        let path = cli.store + "/log/data.mdb"
        // Inside the dataset's events, far from the log's tail (which ingest checks by itself).
        #expect(try flipByte(path, in: "\"swesmith-sample\"", at: 3) > 0)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 4)
        #expect(verify.stderr.contains("the first bad record is event 1"))

        let refused = try cli.run(ingestEval)
        #expect(refused.status == 4)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("`smithlog verify` found damage at event 1; appends are refused"))
        #expect(refused.stderr.contains("`smithlog verify --from SEQ` names the first bad record"))
        let from = try cli.run(["verify", "--from", "1"])
        #expect(from.status == 4)
        #expect(from.stderr.contains("the first bad record is event 1"))

        // Restored (the byte flipped back): verify passes, and ingest goes on.
        #expect(try flipByte(path, in: "\"swdsmith-sample\"", at: 3) > 0)
        try cli.ok(["verify"])
        try cli.ok(ingestEval)
        try cli.ok(["verify"])
        #expect(try cli.ok(["verify", "--from", "5"]).stdout.hasPrefix("ok: events 5 to 29 chained"))
    }

    @Test("rebuild and sql on a store with an event that cannot be decoded exit 4")
    func undecodableEvent() throws {
        let cli = try sampleStore()
        // The stream name's length bytes, in the first event's record: the record no longer decodes.
        let stream = "instance/pandas-dev__pandas.95280573.pr_53652"
        #expect(try flipByte(cli.store + "/log/data.mdb", in: stream, at: -1, mask: 0xFF) > 0)
        for args in [["rebuild"], ["sql", "SELECT 1"], ["log"]] {
            let r = try cli.run(args)
            #expect(r.status == 4, "\(args): \(r.stderr)")
            #expect(stderrLines(r).count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("is damaged"), "\(args): \(r.stderr)")
        }
    }

    @Test("verify judges the log: projections that cannot be written (a full disk) leave its verdict alone")
    func verifyWithBrokenProjections() throws {
        let cli = try sampleStore()
        // A folder where the projections file should be: no SQLite database can be made there, whoever runs.
        try? FileManager.default.removeItem(atPath: cli.store + "/projections.sqlite")
        try FileManager.default.createDirectory(
            atPath: cli.store + "/projections.sqlite", withIntermediateDirectories: false)
        let r = try cli.run(["verify"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("ok: "))
        #expect(r.stderr.contains("note: events the projections skipped are not listed"), "\(r.stderr)")
    }
}

/// XORs the byte at `offset` from every occurrence of `needle` in `file` with `mask`; how many there were.
///
/// Every occurrence, because LMDB copies pages on write: stale copies of a record sit in free pages.
private func flipByte(_ file: String, in needle: String, at offset: Int, mask: UInt8 = 0x01) throws -> Int {
    var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let pattern = Array(needle.utf8)
    var hits = 0
    var i = 0
    while i + pattern.count <= data.count {
        if data[i] == pattern[0] && Array(data[i..<(i + pattern.count)]) == pattern {
            data[i + offset] ^= mask
            hits += 1
            i += pattern.count
        } else {
            i += 1
        }
    }
    try Data(data).write(to: URL(fileURLWithPath: file))
    return hits
}

/// Makes LMDB open the transaction before the last one: flips the highest set bit of the newest meta page's
/// transaction id, which makes it the lower of the two.
private func flipNewestTransactionID(_ dataFile: String) throws {
    let metas = try LMDBDataFile.metaPages(dataFile)
    let newest = metas[1].transaction > metas[0].transaction ? 1 : 0
    let id = metas[newest].transaction
    let bit = UInt64.bitWidth - 1 - id.leadingZeroBitCount
    #expect(id ^ (1 << bit) < metas[1 - newest].transaction)
    var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dataFile)))
    data[newest * metas[0].pageSize + LMDBDataFile.transactionOffset + bit / 8] ^= UInt8(1 << (bit % 8))
    try Data(data).write(to: URL(fileURLWithPath: dataFile))
}
