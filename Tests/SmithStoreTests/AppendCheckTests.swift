import Foundation
import SmithJSON
import SmithStore
import Testing

/// A caller's own error, as a domain layer would throw from a check.
struct StreamTaken: Error, Equatable {
    var stream: String
}

/// The check a domain layer makes before recording a definition under a name: nothing recorded there yet.
func streamMustBeEmpty(_ stream: String) -> (any StreamReading) throws -> Void {
    { reader in
        var taken = false
        try reader.forEach(stream: stream) { _ in
            taken = true
            return false
        }
        if taken { throw StreamTaken(stream: stream) }
    }
}

@Suite("checks inside the append's transaction")
struct AppendCheckTests {
    let bench = productsDirectory().appendingPathComponent("smithlog-bench")

    @Test("a check that throws leaves the log and blobs unchanged, and its error comes out as it is")
    func throwingCheck() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<3).map { event($0, stream: "subset/s") })
        let blob = PreparedBlob(Array("a report".utf8))
        let error = try #require(throws: StreamTaken.self) {
            try log.append(
                (3..<3000).map { event($0, stream: "subset/s", blobs: [blob.digest]) }, blobs: [blob],
                checking: streamMustBeEmpty("subset/s"))
        }
        #expect(error == StreamTaken(stream: "subset/s"))
        // A LogError from the check is not taken for one of the store's own.
        let own = LogError(.invalidArgument, "subset s is defined differently")
        #expect(throws: own) { try log.append([event(9)], checking: { _ in throw own }) }
        #expect(try log.lastSeq() == 3)
        #expect(try log.storedBlobBytes(blob.digest) == nil)
        #expect(try log.seq(of: event(3, stream: "subset/s", blobs: [blob.digest]).id, stream: "subset/s") == nil)
        #expect(try log.verify().isClean)
        // A check that passes lets the batch through.
        let outcomes = try log.append([event(3, stream: "subset/t")], checking: streamMustBeEmpty("subset/t"))
        #expect(outcomes == [.appended(4)])
    }

    @Test("a check reads a stream's events in seq order and the last seq, as its transaction sees them")
    func checkReads() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<20).map { event($0, stream: $0 % 3 == 0 ? "run/a" : "run/b") })
        var seen: [UInt64] = []
        var fromTen: [UInt64] = []
        var last: UInt64 = 0
        try log.append(
            [event(100, stream: "run/a")],
            checking: { reader in
                try reader.forEach(stream: "run/a") {
                    seen.append($0.seq)
                    return true
                }
                try reader.forEach(stream: "run/a", from: 10) {
                    fromTen.append($0.seq)
                    return true
                }
                last = try reader.lastSeq()
            })
        #expect(seen == [1, 4, 7, 10, 13, 16, 19])
        #expect(fromTen == [10, 13, 16, 19])
        #expect(last == 20)
        // The log itself reads the same way, for a check run ahead of an append.
        #expect(throws: StreamTaken(stream: "run/a")) { try streamMustBeEmpty("run/a")(log) }
    }

    @Test("a check sees what another process committed after this log was opened")
    func seesOtherProcess() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([event(0, stream: "run/mine")])
        // Another writer records 1,000 events (with a type this process has not seen) in run/w1-0.
        let p = Process()
        p.executableURL = bench
        p.arguments = ["append", "--store", dir.store.root, "--events", "1000", "--batch", "100", "--writer", "w1"]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)

        var theirs: [RecordedEvent] = []
        var last: UInt64 = 0
        #expect(throws: StreamTaken(stream: "run/w1-0")) {
            try log.append(
                [event(1, stream: "run/w1-0")],
                checking: { reader in
                    last = try reader.lastSeq()
                    try reader.forEach(stream: "run/w1-0") {
                        theirs.append($0)
                        return true
                    }
                    try streamMustBeEmpty("run/w1-0")(reader)
                })
        }
        #expect(last == 1001)
        #expect(theirs.map(\.seq) == Array(2...1001))
        #expect(Set(theirs.map(\.type)) == ["TrajectoryProduced", "EvalVerdictRecorded"])
        #expect(try log.lastSeq() == 1001)
        // Reads of this log, which had seen one type only, decode the other process's records too.
        #expect(Set(try allEvents(log).map(\.type)) == ["TrajectoryProduced", "EvalVerdictRecorded"])
    }

    @Test("four threads claiming one empty stream with a check: exactly one records its events")
    func racingClaims() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            let batch = (0..<500).map { i in
                NewEvent(
                    type: "InstanceSelected", stream: "subset/contested",
                    payload: .object([("writer", .int(w)), ("position", .int(i))]))
            }
            do {
                try log.append(batch, checking: streamMustBeEmpty("subset/contested"))
                results.add(w, nil)
            } catch {
                results.add(w, error)
            }
        }
        let outcome = results.all
        let winners = outcome.filter { $0.error == nil }.map(\.writer)
        #expect(winners.count == 1)
        #expect(outcome.filter { ($0.error as? StreamTaken) == StreamTaken(stream: "subset/contested") }.count == 3)
        var writers = Set<Int64>()
        try log.forEach(stream: "subset/contested") {
            writers.insert(try $0.payload()["writer"]?.int64Value ?? -1)
            return true
        }
        #expect(writers == Set(winners.map(Int64.init)))
        #expect(try log.lastSeq() == 500)
    }

    @Test("an append waiting for another's transaction checks only once that one has committed")
    func checkWaitsForOpenTransaction() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let midway = DispatchSemaphore(value: 0)
        let resume = DispatchSemaphore(value: 0)
        let results = Results()
        let first = Thread {
            do {
                try log.append(
                    (0..<100).map { event($0, stream: "subset/s") }, checking: streamMustBeEmpty("subset/s"),
                    midTransaction: {
                        midway.signal()
                        resume.wait()
                    })
                results.add(1, nil)
            } catch {
                results.add(1, error)
            }
        }
        first.start()
        midway.wait()
        // The first append has passed its check and is writing: the second's check must wait for its commit.
        let second = Thread {
            do {
                try log.append([event(0, stream: "subset/s")], checking: streamMustBeEmpty("subset/s"))
                results.add(2, nil)
            } catch {
                results.add(2, error)
            }
        }
        second.start()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(results.all.isEmpty)
        resume.signal()
        while results.all.count < 2 { Thread.sleep(forTimeInterval: 0.01) }
        let byWriter = Dictionary(uniqueKeysWithValues: results.all.map { ($0.writer, $0.error) })
        #expect(byWriter[1]! == nil)
        #expect((byWriter[2]! as? StreamTaken) == StreamTaken(stream: "subset/s"))
        #expect(try log.lastSeq() == 100)
    }
}

/// What each writer's append came to, collected from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [(writer: Int, error: (any Error)?)] = []

    func add(_ writer: Int, _ error: (any Error)?) { lock.withLock { outcomes.append((writer, error)) } }

    var all: [(writer: Int, error: (any Error)?)] { lock.withLock { outcomes } }
}
