import CLMDB

#if canImport(Glibc)
    import Glibc
#endif

extension EventLog {
    /// Re-hashes every blob for `verify` (see ``BlobRehash``), counting them into `report`; the first problem
    /// found, if any.
    ///
    /// Memory stays the same however many blobs the store holds: a pack's slices, listed in the slices table by
    /// their own digests, are met again beside their pack through a ``SpillSort`` by pack (the blobs table is in
    /// digest order, so the two walk together), and so are the deltas, by the blob they are stored against.
    func verifyBlobs(_ txn: LMDBTransaction, into report: inout VerifyReport) throws -> String? {
        var release = ScanPageRelease(environment)
        // [32] pack, [8] offset (big-endian, so a pack's slices sort by offset), [8] size, [32] slice digest.
        let slices = SpillSort(recordSize: 80)
        try txn.scan(sliceTable, from: nil) { key, value in
            release.touch(value)
            if let reference = BlobFormat.sliceReference(value) {
                try slices.append { out in
                    reference.pack.withUnsafeBytes { out.copyMemory(from: $0) }
                    out.storeBytes(of: UInt64(reference.offset).bigEndian, toByteOffset: 32, as: UInt64.self)
                    out.storeBytes(of: UInt64(reference.size).bigEndian, toByteOffset: 40, as: UInt64.self)
                    UnsafeMutableRawBufferPointer(rebasing: out[48..<80]).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: key.prefix(32)))
                }
            }
            return true
        }
        var byPack = PackSlices(try slices.sorted())
        try byPack.start()
        var blobProblem: String?
        let rehash = BlobRehash()
        var batch: [BlobRehash.Item] = []
        var batchBytes = 0
        // The store pages the batch's items map when they are hashed: each its own 64 KB or more.
        var batchMapped = 0
        func flush() {
            for outcome in rehash.check(batch) {
                report.blobBytesChecked += outcome.rawBytes
                blobProblem = blobProblem ?? outcome.problem
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            batchMapped = 0
            // The batch's pages were read: nothing refers to them any more.
            release.releaseNow()
        }
        // [32] reference, [32] digest: checked reference by reference, so each is decompressed once.
        let deltas = SpillSort(recordSize: 64)
        for table in [blobTable, sliceTable] {
            try txn.scan(table, from: nil) { key, value in
                let digest = Digest(raw: key)
                report.blobsChecked += 1
                // Its bytes are its pack's, checked and counted with the pack (as `stats` counts them).
                if BlobFormat.sliceReference(value) != nil {
                    release.touch(value)
                    return true
                }
                if let (reference, _) = BlobFormat.deltaView(value) {
                    release.touch(value)
                    try deltas.append { out in
                        reference.reference.withUnsafeBytes { out.copyMemory(from: $0) }
                        digest.withUnsafeBytes {
                            UnsafeMutableRawBufferPointer(rebasing: out[32...]).copyMemory(from: $0)
                        }
                    }
                    return true
                }
                let packSlices = table == blobTable ? try byPack.slices(of: digest) : []
                batch.append(.init(digest: digest, stored: value, slices: packSlices))
                batchBytes += BlobFormat.header(value)?.1 ?? 0
                batchMapped += value.count + ScanPageRelease.lookupBytes
                if batchBytes >= BlobRehash.batchBytes || batch.count >= BlobRehash.batchItems
                    || batchMapped >= BlobRehash.batchMapped
                {
                    flush()
                }
                return true
            }
        }
        flush()
        try byPack.finish()
        if blobProblem == nil, let (pack, slice) = byPack.orphan {
            blobProblem = "blob \(slice.hex): its pack \(pack.hex) is missing or cannot be decompressed"
        }
        let byReference = try deltas.sorted()
        while blobProblem == nil, let record = try byReference.next() {
            let digest = Digest(raw: UnsafeRawBufferPointer(rebasing: record[32...]))
            // The delta and its reference, each at a place of its own.
            release.lookUp()
            release.lookUp()
            do {
                report.blobBytesChecked += try blob(txn, digest, depth: 0).count
            } catch {
                blobProblem = (error as? LogError)?.message ?? "blob \(digest.hex): \(error)"
            }
        }
        return blobProblem
    }
}

/// The slices of the packs, sorted by pack then offset, taken pack by pack as the blobs table is walked in
/// digest order; the first slice whose pack the walk did not meet is kept (its pack is missing).
private struct PackSlices {
    private let reader: SpillSort.Reader
    /// The record under the cursor (valid until the reader moves on).
    private var current: UnsafeRawBufferPointer?
    /// The smallest pack named by slices but not met, and its first slice.
    private(set) var orphan: (pack: Digest, slice: Digest)?

    init(_ reader: SpillSort.Reader) {
        self.reader = reader
    }

    mutating func start() throws(LogError) {
        current = try reader.next()
    }

    /// The slices of pack `digest`, by offset; records of smaller packs are passed over as orphans.
    mutating func slices(of digest: Digest) throws(LogError) -> [BlobRehash.Slice] {
        var out: [BlobRehash.Slice] = []
        while let record = current {
            let order = digest.withUnsafeBytes { memcmp(record.baseAddress!, $0.baseAddress!, 32) }
            if order > 0 { break }
            if order < 0 {
                noteOrphan(record)
            } else {
                out.append(
                    .init(
                        digest: Digest(raw: UnsafeRawBufferPointer(rebasing: record[48..<80])),
                        offset: Int(UInt64(bigEndian: record.loadUnaligned(fromByteOffset: 32, as: UInt64.self))),
                        size: Int(UInt64(bigEndian: record.loadUnaligned(fromByteOffset: 40, as: UInt64.self)))))
            }
            current = try reader.next()
        }
        return out
    }

    /// Passes over the slices of packs after the last blob.
    mutating func finish() throws(LogError) {
        while let record = current {
            noteOrphan(record)
            current = try reader.next()
        }
    }

    private mutating func noteOrphan(_ record: UnsafeRawBufferPointer) {
        guard orphan == nil else { return }
        orphan = (
            Digest(raw: record), Digest(raw: UnsafeRawBufferPointer(rebasing: record[48..<80]))
        )
    }
}
