import Foundation
import SmithStore
import Testing

/// Issue 20: `verify` re-hashes each raw byte once, on all cores, with reused buffers; `quick` re-hashes none.
@Suite("verify: blobs")
struct VerifyBlobTests {
    /// A trajectory-like blob: text repeated step after step, with its index in it.
    static func trajectory(_ i: Int, kb: Int) -> [UInt8] {
        let text: String = (0..<(kb * 16)).map { "step \($0) of trajectory \(i): ls -la; cat file.py\n" }.joined()
        return Array(text.utf8.prefix(kb << 10))
    }

    /// A store with many trajectories (so that several threads share them), a dataset pack and its slices.
    static func mixedStore(
        _ dir: TempDir, trajectories: Int = 40
    ) throws -> (EventLog, [PreparedBlob], PreparedBlobPack) {
        let log = try EventLog.create(at: dir.store)
        let blobs = (0..<trajectories).map { PreparedBlob(trajectory($0, kb: 64 + $0)) }
        try log.append(blobs.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: blobs)
        let pack = PreparedBlobPack(BlobPackTests.rows(200))
        try log.append(
            pack.members.enumerated().map {
                event(1000 + $0, stream: "dataset/d", type: "RowImported", blobs: [$1.digest])
            },
            blobs: pack.blobs)
        return (log, blobs, pack)
    }

    @Test("a mixed store verifies clean; blobs and raw bytes counted as stats counts them, a pack's bytes once")
    func countsMatchStats() throws {
        let dir = TempDir()
        let (log, blobs, pack) = try Self.mixedStore(dir)
        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.blobsChecked == blobs.count + pack.blobs.count)
        let stats = try log.stats()
        #expect(report.blobBytesChecked == stats.blobRawBytes)
        let trajectoryBytes: Int = blobs.map(\.rawSize).reduce(0, +)
        let rowBytes: Int = pack.members.map(\.rawSize).reduce(0, +)
        #expect(report.blobBytesChecked == trajectoryBytes + rowBytes)
    }

    @Test("more blobs than one batch: every one checked, a flipped one among them named")
    func manyBlobsOneFlipped() throws {
        let dir = TempDir()
        let count = 4500  // more than a batch's items
        let bytes: [[UInt8]] = (0..<count).map { i in
            Array("small artifact number \(i) \(String(repeating: "x", count: i % 97))".utf8)
        }
        let blobs = bytes.map { PreparedBlob($0) }
        let target = 4321
        var stored: [UInt8] = []
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append(blobs.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: blobs)
            let report = try log.verify()
            #expect(report.isClean, "\(report.problems)")
            #expect(report.blobsChecked == count)
            #expect(report.blobBytesChecked == bytes.map(\.count).reduce(0, +))
            stored = try #require(try log.storedBlobBytes(blobs[target].digest))
        }
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: stored, offset: stored.count - 2))
        let report = try EventLog.open(at: dir.store).verify()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.hasPrefix("blob \(blobs[target].digest.hex): ") == true)
    }

    @Test("a pack with a repeated row (its slices do not tile it) is hashed whole and verifies clean")
    func repeatedRows() throws {
        let dir = TempDir()
        var rows = BlobPackTests.rows(6)
        rows.append(rows[2])
        let pack = PreparedBlobPack(rows)
        let log = try EventLog.create(at: dir.store)
        try log.append(pack.members.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: pack.blobs)
        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.blobBytesChecked == rows.map(\.count).reduce(0, +))
    }

    @Test("quick: a damaged blob's bytes pass, the chain and indexes are still checked")
    func quickSkipsBytes() throws {
        let dir = TempDir()
        let bytes: [UInt8] = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let blob = PreparedBlob(bytes)
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append([event(1, blobs: [blob.digest]), event(2)], blobs: [blob])
            let report = try log.verify(quick: true)
            #expect(report.isClean && report.quick)
            #expect(report.blobsChecked == 0 && report.blobBytesChecked == 0)
        }
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: Array(bytes[20_000..<20_016])))
        let log = try EventLog.open(at: dir.store)
        #expect(try log.verify(quick: true).isClean)
        #expect(try log.verify().problems.first?.hasPrefix("blob \(blob.digest.hex)") == true)
    }

    @Test("quick: a cited blob that is missing is reported")
    func quickFindsMissingBlob() throws {
        let dir = TempDir()
        // Small enough to sit in its leaf node rather than an overflow page.
        let blob = PreparedBlob(Array("a small artifact".utf8))
        var stored: [UInt8] = []
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append([event(1, blobs: [blob.digest])], blobs: [blob])
            stored = try #require(try log.storedBlobBytes(blob.digest))
        }
        // The blob's key sits in its leaf node right before its value: renaming it leaves the event's citation
        // of the old name without a blob.
        let key = Self.bytes(hex: blob.digest.hex) + stored
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: key, offset: 31))
        let report = try EventLog.open(at: dir.store).verify(quick: true)
        #expect(report.problems == ["blob \(blob.digest.hex): referenced by an event but missing from the store"])
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}
