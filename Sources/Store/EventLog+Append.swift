import CLMDB
import Foundation

extension EventLog {
    /// Events per prepared chunk: big enough that dispatching one is noise, small enough that the
    /// transaction soon has the first one to write.
    static let chunkSize = 1024

    /// Appends `newEvents` (and writes `blobs`) in one write transaction.
    ///
    /// An event whose id is already in the log (or earlier in the batch) is not written again; its outcome
    /// carries the existing seq. Every blob an event refers to must be in `blobs` or already stored.
    ///
    /// `checking` runs first inside the write transaction, before anything is written, with a reader of the
    /// log as that transaction sees it: what every other writer, in this process or another, committed before.
    /// No other append can commit until this one ends, so what it checks still holds when the batch commits
    /// (optimistic concurrency: refuse to record a fact that conflicts with one recorded meanwhile). If it
    /// throws, nothing is written and its error comes out of `append` as it is. It may run more than once (the
    /// transaction is retried when the map must grow), and must not use the log other than through its reader.
    @discardableResult
    public func append(
        _ newEvents: [NewEvent], blobs: [PreparedBlob] = [], checking: ((any StreamReading) throws -> Void)? = nil
    ) throws -> [AppendOutcome] {
        try append(newEvents, blobs: blobs, checking: checking, midTransaction: nil)
    }

    /// ``append(_:blobs:checking:)`` with a seam for fault-injection tests (in this package only):
    /// `midTransaction` runs once, inside the open write transaction after about half the batch is written, so
    /// that a test can kill the process there. It must not block for long otherwise.
    @discardableResult
    package func append(
        _ newEvents: [NewEvent], blobs: [PreparedBlob] = [], checking: ((any StreamReading) throws -> Void)? = nil,
        midTransaction: (() -> Void)?
    )
        throws -> [AppendOutcome]
    {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let actor = self.actor
        // Encoding and hashing dominate an append's CPU time: they run on the other cores, chunk by chunk,
        // while this thread writes the chunks already prepared.
        let pipeline = ChunkPipeline(newEvents, chunkSize: Self.chunkSize) { events, range in
            PreparedChunk(events, range, recordedAt: now, actor: actor)
        }
        let (outcomes, typeNames) = try serialisedWrite { txn in
            try checking?(TransactionReader(log: self, txn: txn))
            return try self.writeBatch(txn, .new(newEvents), blobs: blobs) { writer in
                var midpointPassed = false
                for k in 0..<pipeline.count {
                    try pipeline.withChunk(k) { chunk in
                        if let invalid = chunk.invalid { throw invalid }
                        try writer.write(&chunk)
                    }
                    if !midpointPassed && writer.outcomes.count >= newEvents.count / 2 {
                        midpointPassed = true
                        midTransaction?()
                    }
                }
            }
        }
        // Only now committed: type codes the batch assigned may be used by later appends without reading them.
        typeCodes.adopt(typeNames)
        return outcomes
    }

    /// Appends `count` events in one write transaction, as ``append(_:blobs:checking:)`` does, asking `events`
    /// for them a chunk at a time: only the chunk being written is held, not the whole batch.
    ///
    /// For one artifact of thousands of events that must commit together (an SFT set's lines): held whole, their
    /// events and encoded records grew with the artifact. `events` gets consecutive ranges of `0..<count` and
    /// returns exactly that many events; it runs inside the write transaction, on this thread, so it must be
    /// quick, must not use the log, and must give the same events when called again (the transaction is retried
    /// when the map must grow). What it throws comes out of this call as it is, with nothing written.
    @discardableResult
    public func append(
        count: Int, blobs: [PreparedBlob] = [], checking: ((any StreamReading) throws -> Void)? = nil,
        events: (Range<Int>) throws -> [NewEvent]
    ) throws -> [AppendOutcome] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let (outcomes, typeNames) = try serialisedWrite { txn in
            try checking?(TransactionReader(log: self, txn: txn))
            return try self.writeBatch(txn, .streamed(count: count), blobs: blobs) { writer in
                var start = 0
                while start < count {
                    let range = start..<min(start + Self.chunkSize, count)
                    let made = try events(range)
                    guard made.count == range.count else {
                        throw LogError(
                            .invalidArgument, "asked for events \(range) of a batch, got \(made.count) events")
                    }
                    var chunk = PreparedChunk(made, made.indices, firstIndex: start, recordedAt: now, actor: actor)
                    if let invalid = chunk.invalid { throw invalid }
                    try writer.write(&chunk)
                    ArenaPool.shared.give(&chunk.arena)
                    start = range.upperBound
                }
            }
        }
        // Only now committed: type codes the batch assigned may be used by later appends without reading them.
        typeCodes.adopt(typeNames)
        return outcomes
    }

    /// The body of a batch's write transaction, for new and pulled events alike: writes `blobs`, then the chunks
    /// `writeChunks` hands to the writer, then the batch's stream and type indexes and the new head. Returns the
    /// outcomes and the type codes as the transaction left them (adopted by the caller once it has committed).
    /// The events' blobs that are neither in `blobs` nor in `storedBefore` are looked up.
    func writeBatch(
        _ txn: LMDBTransaction, _ newEvents: BatchEvents, blobs: [PreparedBlob], storedBefore: Set<Digest> = [],
        _ writeChunks: (inout BatchWriter) throws -> Void
    ) throws -> ([AppendOutcome], TypeCodes.Names) {
        try put(blobs, txn)
        let head = try self.head(txn)
        let writer = try txn.withCursor(ids) { ids in
            try txn.withCursor(events) { events in
                var writer = BatchWriter(
                    txn: txn, ids: ids, events: events, log: self,
                    knownStoredBlobs: storedBefore.union(blobs.map(\.digest)),
                    newEvents: newEvents, head: head)
                try writeChunks(&writer)
                return writer
            }
        }
        environment.releaseMappedPagesIfHeld()
        try writer.writeIndexes(streamTable: streams, typeTable: types)
        try writeHead(txn, writer.head)
        return (writer.outcomes, writer.typeNames)
    }

    /// Writes `blobs` in `txn`, keeping any already stored.
    func put(_ blobs: [PreparedBlob], _ txn: LMDBTransaction) throws {
        // A dataset's 1,000 row slices land all over a large `slices` tree: unmapping as they go keeps
        // the pages mapped at once to a few MB, where after the whole batch they were most of the tree
        // (96 MB at 50k rows, 159 MB at 200k). Safe mid-transaction: without MDB_WRITEMAP the map is
        // read-only and its pages clean, so the next read faults them back from the page cache.
        var release = ScanPageRelease(environment, every: Self.blobPutsPerRelease)
        for blob in blobs {
            try blob.digest.withUnsafeBytes { k in
                try blob.stored.withUnsafeBytes { v in
                    _ = try txn.put(self.table(forStored: v), k, v, noOverwrite: true)
                }
            }
            release.step()
        }
    }

    /// Blob writes counted between two releases of the store's mapped pages (when the log's ``MemoryPolicy``
    /// releases them): each counts a 64th of ``ScanPageRelease/budget`` (128 KB). A blob's digest is a random
    /// key, so each write lands on a leaf of its own and often a branch page of its own, and a fault maps the
    /// whole large folio of the page cache it hits: 140 KB mapped per write on average in a pull here.
    ///
    /// What is held is measured before anything is released (``LMDBEnvironment/noteMapped(_:limit:)``), each
    /// eighth of a budget counted, so this sets how often `/proc/self/statm` is read (every eight writes), not
    /// how much is held.
    static let blobPutsPerRelease = 64

    /// The LMDB options appends commit with, for reports: see `LMDBEnvironment.writerFlags`.
    public static var commitMode: String {
        LMDBEnvironment.writerFlags & UInt32(MDB_NOMETASYNC) != 0
            ? "MDB_NOMETASYNC: one flush per commit" : "LMDB default: data and meta page flushed per commit"
    }

    /// Stores blobs without events (they stay unreferenced until an event names them).
    public func putBlobs(_ blobs: [PreparedBlob]) throws {
        try append([], blobs: blobs)
    }
}
