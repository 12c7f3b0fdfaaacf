import Foundation
import SmithStore
import Testing

@Suite("blobs read for upload (push): whole frames, checked")
struct PortableBlobReaderTests {
    /// A store holding a pack of rows (slices), a reference with a delta against it, and a plain blob.
    static func store(_ dir: TempDir) throws -> (EventLog, [(Digest, [UInt8])]) {
        let rows = BlobPackTests.rows(40)
        let pack = PreparedBlobPack(rows)
        let (reference, derived) = BlobDeltaTests.referenceAndDerived(seed: 41)
        let base = PreparedBlob(reference)
        let delta = PreparedBlob(
            derived, against: BlobReference(digest: base.digest, bytes: reference, largestInput: derived.count))
        let plainBytes = Array("a small patch".utf8)
        let plain = PreparedBlob(plainBytes)
        let log = try EventLog.create(at: dir.store)
        try log.append(pack.members.enumerated().map { event($0, blobs: [$1.digest]) }, blobs: pack.blobs)
        try log.append([event(200, blobs: [base.digest]), event(201, blobs: [delta.digest])], blobs: [base, delta])
        try log.append([event(100, blobs: [plain.digest])], blobs: [plain])
        let expected =
            zip(pack.members.map(\.digest), rows).map { ($0, $1) }
            + [(base.digest, reference), (delta.digest, derived), (plain.digest, plainBytes)]
        return (log, expected)
    }

    /// A blob read for upload as a pull receives it: decoded and checked against its hash (throws when it does not
    /// match).
    static func received(_ digest: Digest, _ codec: String, _ rawSize: Int, _ body: [UInt8]) throws -> PortableBlob {
        let stored = try #require(
            body.withUnsafeBytes { PortableBlob.storedForm(codec: codec, rawSize: rawSize, body: $0) })
        var scratch = BlobCheckScratch()
        return try PortableBlob(digest: digest, received: stored, scratch: &scratch)
    }

    @Test("slices, deltas and whole blobs come out in order as frames that decode alone to their bytes")
    func portable() throws {
        let dir = TempDir()
        let (log, expected) = try Self.store(dir)
        for lanes in [1, 3] {
            let reader = PortableBlobReader(log, lanes: lanes)
            let digests = expected.map(\.0)
            let sizes = try reader.sizes(digests + [Digest.sha256(Array("absent".utf8))])
            #expect(sizes.map(\.raw) == expected.map(\.1.count) + [0])
            // The rows (slices of their pack) and the delta are rebuilt; the reference and the plain blob are lent.
            #expect(sizes.map(\.rebuilt) == Array(repeating: true, count: 40) + [false, true, false, false])
            let read = try reader.read(digests) { v in (v.digest, v.codec, v.rawSize, Array(v.body)) }
            #expect(read.map(\.0) == digests)
            // Cut by cost rather than count, the same blobs in the same order.
            let weighed = try reader.read(digests, costs: Array(sizes.prefix(digests.count))) { v in
                (v.digest, v.codec, Array(v.body))
            }
            #expect(weighed.map(\.0) == digests)
            #expect(weighed.map(\.2) == read.map(\.3))
            for ((digest, bytes), (_, codec, rawSize, body)) in zip(expected, read) {
                #expect(codec == "raw" || codec == "zstd")
                #expect(rawSize == bytes.count)
                #expect(try Self.received(digest, codec, rawSize, body).rawSize == bytes.count)
            }
        }
    }

    @Test("a delta whose reference changed by one byte is refused by its frame's checksum, not sent")
    func deltaAgainstChangedReference() throws {
        let dir = TempDir()
        let (reference, _) = BlobDeltaTests.referenceAndDerived(seed: 41)
        // The reference with one byte changed where the derived bytes copy from it: decoded against the stored
        // reference, the delta gives bytes of the right size that differ in that byte alone.
        var changed = reference
        changed[reference.count / 2] =
            changed[reference.count / 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let derived = Array(changed[1000..<(reference.count - 1000)])
        let base = PreparedBlob(reference)
        let delta = PreparedBlob(
            derived, against: BlobReference(digest: base.digest, bytes: changed, largestInput: derived.count))
        let log = try EventLog.create(at: dir.store)
        try log.append([event(1, blobs: [base.digest]), event(2, blobs: [delta.digest])], blobs: [base, delta])
        let reader = PortableBlobReader(log, lanes: 1)
        #expect(try reader.read([base.digest]) { $0.rawSize } == [reference.count])
        let error = #expect(throws: LogError.self) { _ = try reader.read([delta.digest]) { $0.rawSize } }
        #expect(error?.code == .corrupt)
        // Found by zstd as it decodes (the frame's checksum), not by hashing the bytes afterwards.
        #expect(
            error?.message.contains("blob \(delta.digest.hex) is damaged (its delta does not decode)") == true,
            "\(String(describing: error))")
    }

    @Test("a delta against a delta (an SFT line against its trajectory, itself against its run's first) is rebuilt")
    func deltaAgainstDelta() throws {
        let dir = TempDir()
        let (reference, trajectory) = BlobDeltaTests.referenceAndDerived(seed: 43)
        let line = Array(trajectory[200..<(trajectory.count - 200)])
        let first = PreparedBlob(reference)
        // Both against a part of their reference (an offset into it), as a run's trajectories and SFT lines are.
        let stored = PreparedBlob(
            trajectory,
            against: BlobReference(digest: first.digest, bytes: reference, from: 300, largestInput: trajectory.count))
        let sft = PreparedBlob(
            line,
            against: BlobReference(digest: stored.digest, bytes: trajectory, from: 100, largestInput: line.count))
        let log = try EventLog.create(at: dir.store)
        try log.append(
            [event(1, blobs: [first.digest]), event(2, blobs: [stored.digest]), event(3, blobs: [sft.digest])],
            blobs: [first, stored, sft])
        // Both stored against another blob: the line's reference is a delta in turn.
        #expect(try log.isStoredAgainstAnotherBlob(stored.digest))
        #expect(try log.isStoredAgainstAnotherBlob(sft.digest))
        for lanes in [1, 2] {
            let reader = PortableBlobReader(log, lanes: lanes)
            let digests = [sft.digest, stored.digest, sft.digest, first.digest]
            let read = try reader.read(digests) { v in (v.codec, v.rawSize, Array(v.body)) }
            for (digest, (codec, rawSize, body)) in zip(digests, read) {
                _ = try Self.received(digest, codec, rawSize, body)
            }
            #expect(read.map(\.1) == [line.count, trajectory.count, line.count, reference.count])
        }
    }

    @Test("a blob the store lacks is not found")
    func absent() throws {
        let dir = TempDir()
        let (log, _) = try Self.store(dir)
        let reader = PortableBlobReader(log, lanes: 2)
        #expect(throws: LogError.self) {
            _ = try reader.read([Digest.sha256(Array("absent".utf8))]) { $0.rawSize }
        }
    }
}
