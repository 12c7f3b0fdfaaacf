import Foundation
import SmithStore
import Testing

@Suite("blob packs")
struct BlobPackTests {
    /// Rows alike in the way a repository's dataset rows are: the same long test list, a few bytes apart.
    static func rows(_ n: Int) -> [[UInt8]] {
        let tests = (0..<300).map { "\"tests/test_core.py::TestFrame::test_case_\($0)[int64-True]\"" }
            .joined(separator: ", ")
        return (0..<n).map { Array("{\"instance_id\": \"repo.abc.bug_\($0)\", \"PASS_TO_PASS\": [\(tests)]}".utf8) }
    }

    @Test("every member reads back byte for byte, and the pack compresses what rows alone cannot")
    func roundTrip() throws {
        let dir = TempDir()
        let rows = Self.rows(40)
        let pack = PreparedBlobPack(rows)
        #expect(pack.pack != nil)
        #expect(pack.members.map(\.digest) == rows.map { Digest.sha256($0) })
        let log = try EventLog.create(at: dir.store)
        try log.append(pack.members.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: pack.blobs)
        for (row, member) in zip(rows, pack.members) {
            #expect(try log.blob(member.digest) == row)
        }
        let alone = rows.map { PreparedBlob($0).storedSize }.reduce(0, +)
        #expect(pack.blobs.map(\.storedSize).reduce(0, +) * 5 < alone)
        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.blobsChecked == 41)
        // Stats count the rows' bytes once, in the pack.
        #expect(try log.stats().blobRawBytes == rows.map(\.count).reduce(0, +))
    }

    @Test("a single item is a plain blob; no items, no blobs")
    func degenerate() {
        let one = PreparedBlobPack([Array("only row".utf8)])
        #expect(one.pack == nil)
        #expect(one.blobs.map(\.digest) == [Digest.sha256(Array("only row".utf8))])
        #expect(PreparedBlobPack([]).blobs.isEmpty)
    }

    @Test("a flipped byte inside a pack is named by verify and refused on read")
    func flippedPackByte() throws {
        let dir = TempDir()
        let rows = Self.rows(10)
        let pack = PreparedBlobPack(rows)
        let packDigest = try #require(pack.pack?.digest)
        var stored: [UInt8] = []
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append(pack.members.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: pack.blobs)
            stored = try #require(try log.storedBlobBytes(packDigest))
        }
        let needle = Array(stored[(stored.count / 2)..<(stored.count / 2 + 12)])
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: needle))
        let log = try EventLog.open(at: dir.store)
        let report = try log.verify()
        #expect(!report.isClean)
        #expect(report.problems.first?.hasPrefix("blob ") == true)
        #expect(throws: LogError.self) { try log.blob(pack.members[3].digest) }
    }

    @Test("a slice whose pack is missing is a damaged store, not a missing blob")
    func missingPack() throws {
        let dir = TempDir()
        let pack = PreparedBlobPack(Self.rows(3))
        let log = try EventLog.create(at: dir.store)
        try log.putBlobs(pack.members)
        let error = try #require(throws: LogError.self) { try log.blob(pack.members[0].digest) }
        #expect(error.code == .corrupt)
        #expect(error.message.contains("missing"))
        #expect(try log.verify().problems.first?.contains("its pack") == true)
    }

    @Test("groups keep input order and respect both limits")
    func groups() {
        #expect(PreparedBlobPack.groups(of: [], maxBytes: 10, maxItems: 3).isEmpty)
        #expect(PreparedBlobPack.groups(of: [4, 4, 4, 4], maxBytes: 10, maxItems: 3) == [0..<2, 2..<4])
        #expect(PreparedBlobPack.groups(of: [1, 1, 1, 1, 1], maxBytes: 100, maxItems: 2) == [0..<2, 2..<4, 4..<5])
        // An item bigger than the limit gets a group of its own.
        #expect(PreparedBlobPack.groups(of: [2, 50, 2], maxBytes: 10, maxItems: 8) == [0..<1, 1..<2, 2..<3])
    }
}
