import Foundation
import SmithStore
import Testing

@Suite("Store errors")
struct StoreErrorTests {
    @Test("a store path that is a file is refused with its path")
    func pathIsFile() throws {
        let dir = TempDir()
        let file = dir.path + "/file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let error = #expect(throws: LogError.self) { try EventLog.create(at: StoreLocation(root: file)) }
        #expect(error?.code == .badStore)
        #expect(error?.description.contains(file) == true)
        let openError = #expect(throws: LogError.self) { try EventLog.open(at: StoreLocation(root: file)) }
        #expect(openError?.code == .badStore)
    }

    @Test("opening a store that does not exist says to run init")
    func missingStore() throws {
        let dir = TempDir()
        let error = #expect(throws: LogError.self) { try EventLog.open(at: dir.store) }
        #expect(error?.code == .notInitialized)
        #expect(error?.description.contains("smithlog init") == true)
    }

    @Test("a data file that is not LMDB is reported as corrupt, naming it")
    func corruptDataFile() throws {
        let dir = TempDir()
        try dir.store.create()
        try Data(repeating: 0x41, count: 64 * 1024).write(to: URL(fileURLWithPath: dir.store.logPath + "/data.mdb"))
        let error = #expect(throws: LogError.self) { try EventLog.open(at: dir.store) }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains("data.mdb") == true || error?.description.contains("log") == true)
    }

    @Test("an unknown seq is not found")
    func unknownSeq() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        try log.append([event(1)])
        let error = #expect(throws: LogError.self) { try log.event(seq: 42) }
        #expect(error?.code == .notFound)
        #expect(error?.description.contains("42") == true)
    }
}
