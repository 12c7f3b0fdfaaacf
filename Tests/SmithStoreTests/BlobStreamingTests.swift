import Foundation
import SmithStore
import Testing

@Suite("blob streaming")
struct BlobStreamingTests {
    /// Lines like a subset's member list: `count` ids, one a line.
    static func lines(_ count: Int) -> [UInt8] {
        Array((0..<count).map { "owner__repo-\($0 % 97).\($0 * 7919 % 100_003).func_pm_\($0)\n" }.joined().utf8)
    }

    /// Appends `bytes` to a builder in pieces of `piece` bytes.
    static func built(_ bytes: [UInt8], piece: Int) -> PreparedBlob {
        var builder = PreparedBlobBuilder()
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + piece, all.count)
                builder.append(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        return builder.finish()
    }

    @Test("a small blob built piece by piece is stored exactly as PreparedBlob stores it")
    func smallIsUnchanged() {
        for bytes in [[], Self.lines(3), Self.lines(2000)] {
            let built = Self.built(bytes, piece: 100)
            let whole = PreparedBlob(bytes)
            #expect(built.digest == whole.digest && built.rawSize == bytes.count)
            #expect(built.storedSize == whole.storedSize)
        }
    }

    @Test("a large blob is streamed: same digest, compressed, reads back whole and piece by piece")
    func largeRoundTrip() throws {
        let bytes = Self.lines(40_000)
        #expect(bytes.count > 4 * PreparedBlobBuilder.wholeLimit)
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // Byte by byte (just past the limit), small and large pieces, and one piece larger than the limit.
        for (raw, piece) in [(Array(bytes.prefix(300_000)), 1), (bytes, 37), (bytes, 4096), (bytes, 1 << 20)] {
            let blob = Self.built(raw, piece: piece)
            #expect(blob.digest == Digest.sha256(raw))
            #expect(blob.storedSize < raw.count / 2)
            try log.putBlobs([blob])
            #expect(try log.blob(blob.digest) == raw)
            var read: [UInt8] = []
            var pieces = 0
            try log.forEachBlobPiece(blob.digest) { p in
                read.append(contentsOf: p)
                pieces += 1
                return true
            }
            #expect(read == raw)
            #expect(pieces > 1)
        }
        #expect(try log.verify().isClean)
    }

    @Test("reading piece by piece stops when asked, and a small blob comes in one piece")
    func stopAndSmall() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let large = Self.built(Self.lines(40_000), piece: 4096)
        let small = PreparedBlob(Self.lines(10))
        try log.putBlobs([large, small])
        var calls = 0
        try log.forEachBlobPiece(large.digest) { _ in
            calls += 1
            return false
        }
        #expect(calls == 1)
        var read: [[UInt8]] = []
        try log.forEachBlobPiece(small.digest) { p in
            read.append(Array(p))
            return true
        }
        #expect(read == [Self.lines(10)])
    }

    @Test("a missing blob is notFound; a damaged one is corrupt before any piece is handed out")
    func missingAndDamaged() throws {
        let dir = TempDir()
        let stored: [UInt8]
        let blob = Self.built(Self.lines(40_000), piece: 4096)
        do {
            let log = try EventLog.create(at: dir.store)
            try log.putBlobs([blob])
            #expect(throws: LogError.self) {
                try log.forEachBlobPiece(Digest.sha256([1, 2, 3])) { _ in true }
            }
            stored = try #require(try log.storedBlobBytes(blob.digest))
        }
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: stored, offset: stored.count / 2))
        let log = try EventLog.open(at: dir.store)
        var pieces = 0
        do {
            try log.forEachBlobPiece(blob.digest) { _ in
                pieces += 1
                return true
            }
            Issue.record("a damaged blob was read")
        } catch let error as LogError {
            #expect(error.code == .corrupt)
        }
        #expect(pieces == 0)
    }
}
