import Foundation
import SmithJSON
import SmithStore
import Testing

@Suite("verify")
struct VerifyTests {
    @Test("a flipped byte in an event's payload is named by seq")
    func flippedEventByte() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((0..<50).map { event($0) })
            try log.append([
                NewEvent(type: "X", stream: "s/1", payload: .object([("marker", .string("FLIP-ME-PLEASE"))]))
            ])
            try log.append((50..<60).map { event($0) })
            #expect(try log.verify().isClean)
        }
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: Array("FLIP-ME-PLEASE".utf8)))
        let report = try EventLog.open(at: dir.store).verify()
        #expect(!report.isClean)
        #expect(report.problems.first?.hasPrefix("event 51 ") == true)
    }

    @Test("a flipped byte in an event's envelope breaks the hash chain")
    func flippedEnvelopeByte() throws {
        let dir = TempDir()
        var actor = ""
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((0..<5).map { event($0) })
            actor = log.actor
        }
        // The actor string sits in the envelope, outside what the id covers: only the chain can catch it.
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: Array(actor.utf8)))
        // Which record comes first in the file depends on LMDB's page layout; any of them must be caught.
        let report = try EventLog.open(at: dir.store).verify()
        let problem = try #require(report.problems.first)
        #expect(problem.contains("hash chain broken") || problem.contains("hash kept in the head"))
    }

    @Test("a flipped byte in a compressed blob and in a raw blob is found")
    func flippedBlobByte() throws {
        for compressible in [true, false] {
            let dir = TempDir()
            let bytes: [UInt8] =
                compressible
                ? Array(String(repeating: "trajectory step\n", count: 5000).utf8)
                : (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
            let blob = PreparedBlob(bytes)
            var stored: [UInt8] = []
            do {
                let log = try EventLog.create(at: dir.store)
                try log.append([event(1, blobs: [blob.digest])], blobs: [blob])
                stored = try #require(try log.storedBlobBytes(blob.digest))
            }
            // Flip a byte in the middle of the stored value (header skipped).
            let needle = Array(stored[(stored.count / 2)..<(stored.count / 2 + 16)])
            #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: needle))
            let log = try EventLog.open(at: dir.store)
            let report = try log.verify()
            #expect(report.problems.count == 1)
            #expect(report.problems.first?.hasPrefix("blob \(blob.digest.hex)") == true)
            #expect(throws: LogError.self) { try log.blob(blob.digest) }
        }
    }
}
