import Foundation
import SmithStore
import Testing

@Suite("store format")
struct FormatVersionTests {
    /// Rewrites the store's format number in place (every copy of the `meta` record, as LMDB keeps stale ones).
    static func setFormat(_ version: UInt8, from old: UInt8 = 7, in dir: TempDir) throws {
        let file = dir.store.logPath + "/data.mdb"
        var data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let hits = findAll(Array("format".utf8) + [old, 0, 0, 0], in: data)
        #expect(!hits.isEmpty)
        for i in hits { data[i + 6] = version }
        try Data(data).write(to: URL(fileURLWithPath: file))
    }

    /// A store written by the release before format 5 (`Fixtures/format4-store`: examples/sample's dataset,
    /// run and evaluation), copied into `dir`.
    static func copyFormat4Store(to dir: TempDir) throws {
        let fixture = try #require(Bundle.module.url(forResource: "Fixtures/format4-store/data", withExtension: "mdb"))
        try FileManager.default.createDirectory(atPath: dir.store.logPath, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: dir.store.logPath + "/data.mdb")
    }

    /// A store as the release before format 6 wrote it: events appended without given ids, format set to 5.
    static func makeFormat5Store(in dir: TempDir, _ events: [NewEvent]) throws {
        do {
            let log = try EventLog.create(at: dir.store)
            try log.append(events)
        }
        try setFormat(5, in: dir)
    }

    /// An identifier for tests: every event's identity is the SHA-256 of its stored id.
    static let hashOfStoredID: EventLog.Identifier = { Digest.sha256($0.id.bytes) }

    /// Seqs of a stream, read through the stream index.
    func seqs(_ log: EventLog, _ stream: String) throws -> [UInt64] {
        var out: [UInt64] = []
        try log.forEach(stream: stream) {
            out.append($0.seq)
            return true
        }
        return out
    }

    static let sampleStreams: [(String, [UInt64])] = [
        ("instance/pydicom__pydicom.7d361b3d.pr_1458", [5]),
        ("dataset/sample", [11]),
        ("run/sample-run", Array(12...20)),
        ("eval/sample-eval", Array(21...29)),
    ]

    @Test(
        "a format 3 or 4 store is read as it is, and upgraded (indexes rekeyed, marked 7) once opened for writing",
        arguments: [3, 4] as [UInt8])
    func upgradesOlderFormats(version: UInt8) throws {
        let dir = TempDir()
        try Self.copyFormat4Store(to: dir)
        if version != 4 { try Self.setFormat(version, from: 4, in: dir) }
        var recorded: [RecordedEvent] = []
        do {
            let old = try EventLog.open(at: dir.store, readOnly: true)
            #expect(try old.lastSeq() == 29)
            for (stream, expected) in Self.sampleStreams { #expect(try seqs(old, stream) == expected, "\(stream)") }
            recorded = try allEvents(old)
            for e in recorded { #expect(try old.seq(of: e.id, stream: e.stream) == e.seq) }
            #expect(try old.verify().isClean)
        }
        #expect(findAll(Array("format".utf8) + [version, 0, 0, 0], in: try readStore(dir)).count > 0)
        let log = try EventLog.open(at: dir.store, identifier: Self.hashOfStoredID)
        #expect(findAll(Array("format".utf8) + [7, 0, 0, 0], in: try readStore(dir)).count > 0)
        for (stream, expected) in Self.sampleStreams { #expect(try seqs(log, stream) == expected, "\(stream)") }
        for e in recorded { #expect(try log.seq(of: e.id, stream: e.stream) == e.seq) }
        // The facts already recorded are recognised after the upgrade: appending them again adds nothing.
        let again = try recorded.map {
            NewEvent(
                type: $0.type, schemaVersion: $0.schemaVersion, stream: $0.stream, payload: try $0.payload(),
                blobs: $0.blobs)
        }
        #expect(try log.append(again) == recorded.map { .existing($0.seq) })
        #expect(try log.stats().streams == 13)
        try log.append([event(1, stream: "run/sample-run")], blobs: [])
        #expect(try seqs(log, "run/sample-run") == Array(12...20) + [30])
        #expect(try log.verify().isClean)
        // Opening it again finds nothing left to upgrade.
        #expect(try seqs(try EventLog.open(at: dir.store), "eval/sample-eval") == Array(21...29))
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
