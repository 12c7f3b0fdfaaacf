import Foundation
import SmithJSON
import SmithStore
import Testing

/// `append(count:blobs:checking:events:)`: a batch made a chunk at a time inside its one transaction.
@Suite("streamed append")
struct StreamedAppendTests {
    /// What the caller's generator throws, to tell it from the store's own errors.
    struct Refused: Error {}

    @Test("records what the same batch appended whole records, across chunks, with its blobs checked")
    func sameAsWhole() throws {
        let blobs = (0..<3).map { PreparedBlob(Array("line \($0)".utf8)) }
        let batch = (0..<2500).map { event($0, stream: "sft/x", blobs: [blobs[$0 % 3].digest]) }
        let whole = TempDir()
        let wholeLog = try EventLog.create(at: whole.store)
        try wholeLog.append(Array(batch[..<10]), blobs: blobs)
        let expected = try wholeLog.append(batch, blobs: blobs)

        let streamed = TempDir()
        let log = try EventLog.create(at: streamed.store)
        try log.append(Array(batch[..<10]), blobs: blobs)
        var asked: [Range<Int>] = []
        let outcomes = try log.append(count: batch.count, blobs: blobs) { range in
            asked.append(range)
            return Array(batch[range])
        }
        #expect(outcomes == expected)
        #expect(asked.count > 1)
        #expect(asked.map(\.count).reduce(0, +) == batch.count)
        #expect(try allEvents(log).map(\.id) == allEvents(wholeLog).map(\.id))
        #expect(try log.verify().isClean)
    }

    @Test("a throwing generator, a short chunk or a blob not stored leaves the log as it was")
    func refusalsWriteNothing() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([event(0)])
        let batch = (1...2100).map { event($0) }
        #expect(throws: Refused.self) {
            try log.append(count: batch.count) { range in
                if range.upperBound == batch.count { throw Refused() }
                return Array(batch[range])
            }
        }
        #expect(throws: LogError.self) {
            try log.append(count: batch.count) { range in Array(batch[range].dropLast()) }
        }
        let missing = PreparedBlob(Array("not stored".utf8))
        #expect(throws: LogError.self) {
            try log.append(count: 2) { _ in [event(7), event(8, blobs: [missing.digest])] }
        }
        #expect(try log.lastSeq() == 1)
        #expect(try log.verify().isClean)
    }
}
