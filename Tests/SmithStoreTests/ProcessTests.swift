import Foundation
import SmithStore
import Testing

/// Tests that need real separate processes: concurrent writers and a writer killed mid-transaction.
@Suite("Writers in other processes")
struct ProcessTests {
    let bench = productsDirectory().appendingPathComponent("smithlog-bench")

    @Test("4 processes appending 5,000 events each give 20,000 gapless seqs")
    func concurrentWriters() throws {
        let dir = TempDir()
        _ = try EventLog.create(at: dir.store)
        let writers = (0..<4).map { w -> Process in
            let p = Process()
            p.executableURL = bench
            p.arguments = [
                "append", "--store", dir.store.root, "--events", "5000", "--batch", "50", "--writer", "w\(w)",
            ]
            return p
        }
        for p in writers { try p.run() }
        for p in writers { p.waitUntilExit() }
        #expect(writers.allSatisfy { $0.terminationStatus == 0 })

        let log = try EventLog.open(at: dir.store)
        let all = try allEvents(log)
        #expect(all.count == 20_000)
        #expect(all.map(\.seq) == Array(1...20_000))
        var perWriter: [String: Int] = [:]
        for e in all { perWriter[try e.payload()["writer"]?.stringValue ?? "?", default: 0] += 1 }
        #expect(perWriter == ["w0": 5000, "w1": 5000, "w2": 5000, "w3": 5000])
        #expect(try log.verify().isClean)
    }

    @Test("kill -9 in the middle of a batch leaves the batch entirely out, and the log verifies")
    func killedWriter() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((0..<10).map { event($0) })

        let p = Process()
        p.executableURL = bench
        p.arguments = [
            "append", "--store", dir.store.root, "--events", "20000", "--batch", "20000", "--hold-mid-batch",
        ]
        let stdout = Pipe()
        let stdin = Pipe()
        p.standardOutput = stdout
        p.standardInput = stdin
        try p.run()
        // The child prints this from inside its open write transaction, half its batch written.
        let line = readLine(from: stdout.fileHandleForReading)
        #expect(line == "mid-batch")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        let reopened = try EventLog.open(at: dir.store)
        #expect(try reopened.lastSeq() == 10)
        #expect(try reopened.verify().isClean)
        // The writer lock died with the process: appending works again.
        try reopened.append([event(99)])
        #expect(try reopened.lastSeq() == 11)
    }

    @Test("kill -9 after a committed batch keeps that batch whole")
    func killedAfterCommit() throws {
        let dir = TempDir()
        _ = try EventLog.create(at: dir.store)
        // Two batches: the first commits, the process is killed inside the second.
        let p = Process()
        p.executableURL = bench
        p.arguments = [
            "append", "--store", dir.store.root, "--events", "3000", "--batch", "1000", "--hold-mid-batch",
            "--hold-batch", "2",
        ]
        let stdout = Pipe()
        p.standardOutput = stdout
        p.standardInput = Pipe()
        try p.run()
        #expect(readLine(from: stdout.fileHandleForReading) == "mid-batch")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let log = try EventLog.open(at: dir.store)
        #expect(try log.lastSeq() == 1000)
        #expect(try log.verify().isClean)
    }

    private func readLine(from handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let d = handle.readData(ofLength: 1)
            if d.isEmpty || d.first == 10 { break }
            bytes.append(contentsOf: d)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
