import Foundation
import SmithJSON
import SmithStore
import Testing

/// A damaged data file is refused before LMDB maps it; a log that lost committed transactions is reported by
/// `verify` and refused by appends, as is any log `verify` found damaged until a `verify` passes.
@Suite("damaged log")
struct DamagedLogTests {
    /// A store holding two appends (events 1-5, then 6-8), closed.
    private func twoAppends() throws -> TempDir {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((1...5).map { event($0) })
        try log.append((6...8).map { event($0) })
        return dir
    }

    private func dataFile(_ dir: TempDir) -> String { dir.store.logPath + "/data.mdb" }
    private func headFile(_ dir: TempDir) -> String { dir.store.logPath + "/head" }
    private func marker(_ dir: TempDir) -> String { dir.store.logPath + "/damaged" }

    @Test("data.mdb truncated to 0 bytes, 8 KB, half, or one page short of its last transaction is refused")
    func truncations() throws {
        let dir = try twoAppends()
        let path = dataFile(dir)
        let metas = try LMDBDataFile.metaPages(path)
        let newest = metas.max { $0.transaction < $1.transaction }!
        let required = Int(newest.requiredSize)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size >= required)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in [0, 8192, size / 2, required - newest.pageSize] {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            for readOnly in [true, false] {
                let error = #expect(throws: LogError.self) { try EventLog.open(at: dir.store, readOnly: readOnly) }
                #expect(error?.code == .corrupt, "\(length)")
                #expect(error?.path == path)
                #expect(error?.description.contains("truncated?") == true, "\(length): \(String(describing: error))")
                #expect(error?.description.contains("\n") == false)
            }
            // `init` on it must not take the empty file for a new store either.
            #expect(throws: LogError.self) { try EventLog.create(at: dir.store) }
        }
        try original.write(to: URL(fileURLWithPath: path))
        #expect(try EventLog.open(at: dir.store).verify().isClean)
    }

    @Test("a data file whose first meta page has no LMDB magic is not an LMDB file")
    func badMagic() throws {
        let dir = try twoAppends()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dataFile(dir))))
        bytes[16] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: dataFile(dir)))
        let error = #expect(throws: LogError.self) { try EventLog.open(at: dir.store) }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains("not an LMDB file") == true)
    }

    @Test("each append leaves the head (last seq and its record's hash) in log/head")
    func headFileFollowsAppends() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        #expect(!FileManager.default.fileExists(atPath: headFile(dir)))
        try log.append((1...3).map { event($0) })
        let first = try String(contentsOfFile: headFile(dir), encoding: .utf8)
        #expect(first.hasPrefix("3 "))
        #expect(first.count == "3 ".count + 64 + 1)
        try log.append([event(4)])
        #expect(try String(contentsOfFile: headFile(dir), encoding: .utf8).hasPrefix("4 "))
        // Nothing new: the head stays.
        try log.append([event(4)])
        #expect(try String(contentsOfFile: headFile(dir), encoding: .utf8).hasPrefix("4 "))
        // No temporary files left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.store.logPath).sorted()
        #expect(names == ["data.mdb", "head", "lock.mdb"])
    }

    @Test("appends from several threads at once leave log/head at the log's head (written in commit order)")
    func concurrentAppenders() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for b in 0..<10 { _ = try? log.append((0..<5).map { event(1000 * t + 10 * b + $0, stream: "run/\(t)") }) }
        }
        #expect(try log.lastSeq() == 200)
        #expect(try String(contentsOfFile: headFile(dir), encoding: .utf8).hasPrefix("200 "))
        #expect(try log.verify().isClean)
    }

    @Test("a store written before log/head existed verifies and appends, and gets one")
    func storeWithoutHeadFile() throws {
        let dir = try twoAppends()
        try FileManager.default.removeItem(atPath: headFile(dir))
        let log = try EventLog.open(at: dir.store)
        #expect(try log.verify().isClean)
        try log.append([event(9)])
        #expect(try String(contentsOfFile: headFile(dir), encoding: .utf8).hasPrefix("9 "))
        #expect(try log.verify().isClean)
    }

    @Test("a head file behind the log (a crash between a commit and its write) is normal")
    func headFileBehind() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append((1...5).map { event($0) })
        let behind = try String(contentsOfFile: headFile(dir), encoding: .utf8)
        try log.append((6...8).map { event($0) })
        try behind.write(toFile: headFile(dir), atomically: true, encoding: .utf8)
        #expect(try log.verify().isClean)
        try log.append([event(9)])
        #expect(try String(contentsOfFile: headFile(dir), encoding: .utf8).hasPrefix("9 "))
    }

    @Test("a head file naming another record at its seq is a rollback")
    func headFileDisagrees() throws {
        let dir = try twoAppends()
        let wrong = "5 " + String(repeating: "ab", count: 32) + "\n"
        try wrong.write(toFile: headFile(dir), atomically: true, encoding: .utf8)
        let log = try EventLog.open(at: dir.store)
        let error = #expect(throws: LogError.self) { try log.append([event(9)]) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("lost committed transactions: event 5") == true)
        let report = try log.verify()
        #expect(report.problems.first?.contains("lost committed transactions: event 5") == true)
        #expect(report.firstBadSeq == 5)
    }

    @Test("a rolled-back meta page (the newest transaction's id made lower) is reported and blocks appends")
    func rolledBackMetaPage() throws {
        let dir = try twoAppends()
        try rollBackLastTransaction(dataFile(dir))
        let log = try EventLog.open(at: dir.store)
        #expect(try log.lastSeq() == 5)  // LMDB now opens the first append's transaction
        let report = try log.verify()
        #expect(
            report.problems == ["lost committed transactions: log/head names event 8, the log ends at 5 (rolled back?)"]
        )
        let error = #expect(throws: LogError.self) { try log.append([event(9)]) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("restore the store from a copy or pull from a remote") == true)
        #expect(try log.lastSeq() == 5)
    }

    @Test("the last record not chaining to its head is refused by appends before any verify")
    func alteredLastRecord() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((1...5).map { event($0) })
            try log.append([
                NewEvent(type: "X", stream: "s/1", payload: .object([("marker", .string("LAST-RECORD-HERE"))]))
            ])
        }
        #expect(try flipByte(in: dataFile(dir), at: Array("LAST-RECORD-HERE".utf8)))
        let log = try EventLog.open(at: dir.store)
        let error = #expect(throws: LogError.self) { try log.append([event(7)]) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("event 6, the last of the log") == true)
    }

    @Test("damage verify found blocks appends until a verify passes; verify --from names the first bad record")
    func damageMarker() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append((1...5).map { event($0) })
            try log.append([NewEvent(type: "X", stream: "s/1", payload: .object([("marker", .string("FLIP-ME"))]))])
            try log.append((7...9).map { event($0) })
        }
        #expect(try flipByte(in: dataFile(dir), at: Array("FLIP-ME".utf8)))
        let log = try EventLog.open(at: dir.store)
        // The tail chains: appends go on until a verify finds the damage.
        let report = try log.verify()
        #expect(report.firstBadSeq == 6)
        #expect(FileManager.default.fileExists(atPath: marker(dir)))
        let refused = #expect(throws: LogError.self) { try log.append([event(10)]) }
        #expect(refused?.code == .corrupt)
        #expect(refused?.message.contains("at event 6") == true)
        #expect(refused?.message.contains("`smithlog verify --from SEQ` names the first bad record") == true)

        // From event 7 on, the chain names event 7 (its link to the altered event 6 is broken); from 8 it holds.
        #expect(try log.verify(from: 7).firstBadSeq == 7)
        #expect(try log.verify(from: 8).isClean)
        #expect(try log.verify(from: 4).firstBadSeq == 6)
        // A clean check after the damage leaves the record of it.
        #expect(FileManager.default.fileExists(atPath: marker(dir)))

        // Repaired (as a restore would): a full verify passes, removes the marker, and appends go on.
        #expect(try flipByte(in: dataFile(dir), at: Array("GLIP-ME".utf8)))
        #expect(try log.verify().isClean)
        #expect(!FileManager.default.fileExists(atPath: marker(dir)))
        try log.append([event(10)])
        #expect(try log.lastSeq() == 10)
    }

    @Test("verify --from checks the events from a seq on; past the log's end it is not found")
    func verifyFrom() throws {
        let dir = try twoAppends()
        let log = try EventLog.open(at: dir.store)
        let report = try log.verify(from: 4)
        #expect(report.isClean)
        #expect(report.from == 4)
        #expect(report.eventsChecked == 8)
        #expect(try log.verify(from: 9).isClean)
        let error = #expect(throws: LogError.self) { try log.verify(from: 10) }
        #expect(error?.code == .notFound)
    }
}

/// Makes LMDB open the transaction before the last one: flips the highest set bit of the newest meta page's
/// transaction id, which makes it the lower of the two.
func rollBackLastTransaction(_ dataFile: String) throws {
    let metas = try LMDBDataFile.metaPages(dataFile)
    let newest = metas[1].transaction > metas[0].transaction ? 1 : 0
    let id = metas[newest].transaction
    let bit = UInt64.bitWidth - 1 - id.leadingZeroBitCount
    #expect(id ^ (1 << bit) < metas[1 - newest].transaction)
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: dataFile))
    defer { try? handle.close() }
    let offset = UInt64(newest * metas[0].pageSize + LMDBDataFile.transactionOffset + bit / 8)
    try handle.seek(toOffset: offset)
    let byte = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: offset)
    try handle.write(contentsOf: [byte ^ UInt8(1 << (bit % 8))])
}
