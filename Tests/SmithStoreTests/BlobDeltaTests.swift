import Foundation
import SmithStore
import Testing

@Suite("blobs stored against a reference blob")
struct BlobDeltaTests {
    /// A trajectory-like reference (steps repeating a growing history) and a line made of parts of it, the way an
    /// SFT line is made of a trajectory's messages.
    /// Each test has its own seed: decoded references are cached process-wide by digest.
    static func referenceAndDerived(seed: UInt64) -> (reference: [UInt8], derived: [UInt8]) {
        var generator = SplitMix(seed: seed)
        let words = (0..<4000).map { _ in String(UInt32.random(in: 0..<1_000_000, using: &generator), radix: 36) }
        let reference = Array(("{\"steps\": [\"" + words.joined(separator: " ") + "\"]}").utf8)
        let derived = Array(
            ("{\"messages\": [\"" + words[100..<2100].joined(separator: " ") + "\", \"done\"]}").utf8)
        return (reference, derived)
    }

    /// The reference stored whole and the derived bytes stored against all of it.
    static func prepared(seed: UInt64) -> (derived: [UInt8], base: PreparedBlob, delta: PreparedBlob) {
        let (reference, derived) = referenceAndDerived(seed: seed)
        let base = PreparedBlob(reference)
        let delta = PreparedBlob(
            derived, against: BlobReference(digest: base.digest, bytes: reference, largestInput: derived.count))
        return (derived, base, delta)
    }

    /// Appends one event naming the reference and one naming the derived blob, with both blobs.
    static func store(_ base: PreparedBlob, _ delta: PreparedBlob, in log: EventLog) throws {
        try log.append([event(0, blobs: [base.digest]), event(1, blobs: [delta.digest])], blobs: [base, delta])
    }

    @Test("reads back byte for byte, far smaller than compressed alone, and verifies")
    func roundTrip() throws {
        let dir = TempDir()
        let (derived, base, delta) = Self.prepared(seed: 1)
        #expect(delta.digest == Digest.sha256(derived))
        #expect(delta.storedSize * 10 < PreparedBlob(derived).storedSize)
        let log = try EventLog.create(at: dir.store)
        try Self.store(base, delta, in: log)
        #expect(try log.blob(delta.digest) == derived)
        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.blobsChecked == 2)
        #expect(report.blobBytesChecked == base.rawSize + derived.count)
        // Writers do not store against a blob that is itself stored by reference, so reads never chain.
        #expect(try log.isStoredAgainstAnotherBlob(delta.digest))
        #expect(!(try log.isStoredAgainstAnotherBlob(base.digest)))
        #expect(!(try log.isStoredAgainstAnotherBlob(Digest.sha256(Array("absent".utf8)))))
    }

    @Test("only the bytes from the reference's offset are used, and reads find them")
    func offsetIntoReference() throws {
        let dir = TempDir()
        let (reference, derived) = Self.referenceAndDerived(seed: 5)
        let base = PreparedBlob(reference)
        let tail = BlobReference(digest: base.digest, bytes: reference, from: 100, largestInput: derived.count)
        #expect(tail.offset == 100)
        let delta = PreparedBlob(derived, against: tail)
        #expect(delta.storedSize * 10 < PreparedBlob(derived).storedSize)
        let log = try EventLog.create(at: dir.store)
        try Self.store(base, delta, in: log)
        #expect(try log.blob(delta.digest) == derived)
        #expect(try log.verify().isClean)
    }

    @Test("bytes the reference does not help with are stored as a plain blob")
    func unrelatedFallsBack() {
        let (reference, _) = Self.referenceAndDerived(seed: 2)
        var generator = SplitMix(seed: 99)
        let unrelated = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let blob = PreparedBlob(
            unrelated,
            against: BlobReference(digest: Digest.sha256(reference), bytes: reference, largestInput: unrelated.count))
        #expect(blob.storedSize == PreparedBlob(unrelated).storedSize)
    }

    @Test("a missing reference is a damaged store, named on read and by verify")
    func missingReference() throws {
        let dir = TempDir()
        let (reference, derived) = Self.referenceAndDerived(seed: 3)
        let referenceDigest = Digest.sha256(reference)
        let delta = PreparedBlob(
            derived, against: BlobReference(digest: referenceDigest, bytes: reference, largestInput: derived.count))
        let log = try EventLog.create(at: dir.store)
        try log.append([event(0, blobs: [delta.digest])], blobs: [delta])
        let error = try #require(throws: LogError.self) { try log.blob(delta.digest) }
        #expect(error.code == .corrupt)
        #expect(error.message.contains("\(referenceDigest.hex), which is missing"))
        let problems = try log.verify().problems
        #expect(problems.first?.contains(delta.digest.hex) == true, "\(problems)")
    }

    @Test("a flipped byte in the reference is named by verify and refused when the derived blob is read")
    func damagedReference() throws {
        let dir = TempDir()
        let (_, base, delta) = Self.prepared(seed: 4)
        var stored: [UInt8] = []
        do {
            let log = try EventLog.create(at: dir.store)
            try Self.store(base, delta, in: log)
            stored = try #require(try log.storedBlobBytes(base.digest))
        }
        let needle = Array(stored[(stored.count / 2)..<(stored.count / 2 + 12)])
        #expect(try flipByte(in: dir.store.logPath + "/data.mdb", at: needle))
        let log = try EventLog.open(at: dir.store)
        #expect(!(try log.verify().isClean))
        #expect(throws: LogError.self) { try log.blob(delta.digest) }
    }
}

/// A small deterministic generator, so the test data is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D3_49BA_0B31_33EB
        return z ^ (z >> 31)
    }
}
