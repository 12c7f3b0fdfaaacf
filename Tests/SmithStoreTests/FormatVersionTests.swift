import Foundation
import SmithStore
import Testing

@Suite("store format")
struct FormatVersionTests {
    /// Rewrites the store's format number in place (every copy of the `meta` record, as LMDB keeps stale ones).
    static func setFormat(_ version: UInt8, in dir: TempDir) throws {
        let file = dir.store.logPath + "/data.mdb"
        var data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let hits = findAll(Array("format".utf8) + [4, 0, 0, 0], in: data)
        #expect(!hits.isEmpty)
        for i in hits { data[i + 6] = version }
        try Data(data).write(to: URL(fileURLWithPath: file))
    }

    @Test("a format 3 store is read as it is, and marked 4 once opened for writing")
    func upgradesFormat3() throws {
        let dir = TempDir()
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append([event(0)], blobs: [])
        }
        try Self.setFormat(3, in: dir)
        #expect(try EventLog.open(at: dir.store, readOnly: true).lastSeq() == 1)
        #expect(findAll(Array("format".utf8) + [3, 0, 0, 0], in: try readStore(dir)).count > 0)
        let log = try EventLog.open(at: dir.store)
        try log.append([event(1)], blobs: [])
        #expect(try log.lastSeq() == 2)
        #expect(try log.verify().isClean)
        #expect(findAll(Array("format".utf8) + [4, 0, 0, 0], in: try readStore(dir)).count > 0)
    }

    @Test("a format this release does not know is refused with one clear line")
    func refusesUnknownFormat() throws {
        let dir = TempDir()
        do { _ = try EventLog.create(at: dir.store) }
        try Self.setFormat(9, in: dir)
        let error = try #require(throws: LogError.self) { try EventLog.open(at: dir.store) }
        #expect(error.message.contains("store format 9 is not supported"))
    }

    func readStore(_ dir: TempDir) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.store.logPath + "/data.mdb")))
    }
}
