import Foundation
import SmithJSON
import SmithStore
import Testing

@Suite("store format 6: identity aliases")
struct IdentityAliasTests {
    typealias Format = FormatVersionTests

    /// Every event as written, with the bytes that identify its record: the upgrade must change none.
    struct Written: Equatable {
        var seq: UInt64
        var id: Digest
        var previousHash: Digest
        var type: String
        var stream: String
        var schemaVersion: Int
        var payloadBytes: [UInt8]

        init(_ e: RecordedEvent) {
            (seq, id, previousHash, type, stream) = (e.seq, e.id, e.previousHash, e.type, e.stream)
            (schemaVersion, payloadBytes) = (e.schemaVersion, e.payloadBytes)
        }
    }

    @Test("a format 4 store upgraded with an identifier keeps every record and finds each event by both its ids")
    func upgradeFormat4() throws {
        let dir = TempDir()
        try Format.copyFormat4Store(to: dir)
        let before = try allEvents(try EventLog.open(at: dir.store, readOnly: true)).map(Written.init)
        #expect(before.count == 29)

        let log = try EventLog.open(at: dir.store, identifier: Format.hashOfStoredID)
        #expect(findAll(Array("format".utf8) + [7, 0, 0, 0], in: try readStore(dir)).count > 0)
        #expect(try allEvents(log).map(Written.init) == before)
        for e in before {
            let alias = Digest.sha256(e.id.bytes)
            #expect(try log.seq(of: e.id, stream: e.stream) == e.seq)
            #expect(try log.seq(of: alias, stream: e.stream) == e.seq)
            // An alias belongs to its event's stream only.
            #expect(try log.seq(of: alias, stream: e.stream + "-other") == nil)
        }
        // The fact re-recorded under its identity, in a newer payload version, is the one already logged.
        let again = before.map { e in
            NewEvent(
                type: e.type, schemaVersion: e.schemaVersion + 1, stream: e.stream,
                payload: .object([("re-recorded", .bool(true))]), id: Digest.sha256(e.id.bytes))
        }
        #expect(try log.append(again) == before.map { .existing($0.seq) })
        #expect(try log.lastSeq() == 29)

        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.eventsChecked == 29)
        #expect(report.idAliases == 29)
        // `show ID` finds an event by the id it was logged under, once, and not by its alias.
        for e in before.prefix(5) {
            let found = try log.events(withIDPrefix: String(e.id.hex.prefix(12)))
            #expect(found.map(\.seq) == [e.seq])
            #expect(found.map(\.id) == [e.id])
            #expect(try log.events(withIDPrefix: Digest.sha256(e.id.bytes).hex).isEmpty)
        }
        // Opened again, with or without an identifier, there is nothing left to upgrade.
        #expect(try EventLog.open(at: dir.store).verify().idAliases == 29)
    }

    @Test(
        "a store of format 3, 4 or 5 opened for writing without an identifier is refused; read-only it opens as it is",
        arguments: [3, 4, 5] as [UInt8])
    func needsIdentifierToUpgrade(version: UInt8) throws {
        let dir = TempDir()
        if version == 5 {
            try Format.makeFormat5Store(in: dir, (0..<10).map { event($0) })
        } else {
            try Format.copyFormat4Store(to: dir)
            if version != 4 { try Format.setFormat(version, from: 4, in: dir) }
        }
        let error = try #require(throws: LogError.self) { try EventLog.open(at: dir.store) }
        #expect(error.code == .needsUpgrade)
        #expect(error.message.contains("written by an older smithlog"))
        #expect(error.message.contains("domain layer"))
        #expect(try #require(throws: LogError.self) { try EventLog.create(at: dir.store) }.code == .needsUpgrade)

        let old = try EventLog.open(at: dir.store, readOnly: true)
        #expect(try old.lastSeq() == (version == 5 ? 10 : 29))
        for e in try allEvents(old) { #expect(try old.seq(of: e.id, stream: e.stream) == e.seq) }
        let report = try old.verify()
        #expect(report.isClean)
        #expect(report.idAliases == 0)
        #expect(findAll(Array("format".utf8) + [version, 0, 0, 0], in: try readStore(dir)).count > 0)
        #expect(findAll(Array("format".utf8) + [7, 0, 0, 0], in: try readStore(dir)).isEmpty)
    }

    @Test("a format 5 upgrade: nil skips an event, the first event of an identity wins, a stored id is kept")
    func aliasRules() throws {
        let dir = TempDir()
        // Two streams; in run/a, inst-1 recorded twice with different payloads (two schema versions of a fact).
        var events = (0..<6).map { event($0) } + (0..<3).map { event($0, stream: "run/b") }
        events.append(
            NewEvent(
                type: "TrajectoryProduced", schemaVersion: 2, stream: "run/a",
                payload: .object([("instance_id", .string("inst-1")), ("v2", .bool(true))])))
        events.append(NewEvent(type: "Skipped", stream: "run/a", payload: .object([("instance_id", .string("x"))])))
        try Format.makeFormat5Store(in: dir, events)
        let storedIDOfSeq1 = events[0].id

        // The identity of a TrajectoryProduced is its instance; inst-0 of run/a is named by seq 1's stored id
        // (which keeps pointing to seq 1); other types have none.
        let identifier: EventLog.Identifier = { e in
            guard e.type == "TrajectoryProduced" else { return nil }
            let instance = try e.payload()["instance_id"]?.stringValue ?? ""
            if instance == "inst-0" && e.stream == "run/a" { return storedIDOfSeq1 }
            return Digest.sha256(Array("\(e.stream)\0\(instance)".utf8))
        }
        func identity(_ stream: String, _ instance: String) -> Digest {
            Digest.sha256(Array("\(stream)\0\(instance)".utf8))
        }
        let log = try EventLog.open(at: dir.store, identifier: identifier)
        #expect(try log.seq(of: storedIDOfSeq1, stream: "run/a") == 1)
        #expect(try log.seq(of: identity("run/a", "inst-1"), stream: "run/a") == 2)
        #expect(try log.seq(of: identity("run/a", "inst-5"), stream: "run/a") == 6)
        #expect(try log.seq(of: identity("run/b", "inst-1"), stream: "run/b") == 8)
        #expect(try log.seq(of: identity("run/a", "x"), stream: "run/a") == nil)
        #expect(try log.seq(of: events[9].id, stream: "run/a") == 10)  // the later version of inst-1 by its own id
        let report = try log.verify()
        #expect(report.isClean, "\(report.problems)")
        // 5 in run/a (inst-1 to inst-5; inst-1's second version adds none), 3 in run/b.
        #expect(report.idAliases == 8)

        // New events carry their identities as given ids: verify checks them with the same identifier.
        var newer = event(7)
        newer.givenID = identity("run/a", "inst-7")
        #expect(try log.append([newer]) == [.appended(12)])
        var wrong = event(8)
        wrong.givenID = identity("run/a", "inst-9")
        try log.append([wrong])
        let checked = try log.verify()
        #expect(checked.givenIDs == 2)
        #expect(checked.givenIDsChecked == 1)
        #expect(checked.problems.first?.hasPrefix("event 13 ") == true, "\(checked.problems)")
        #expect(checked.problems.first?.contains("is not its identity") == true)
    }

    struct NoIdentity: Error {}

    @Test("an identifier that fails leaves the store as it was, and the error names the event")
    func failingIdentifier() throws {
        let dir = TempDir()
        try Format.copyFormat4Store(to: dir)
        let before = try readStore(dir)
        let error = try #require(throws: LogError.self) {
            try EventLog.open(
                at: dir.store,
                identifier: { e in
                    if e.seq == 20 { throw NoIdentity() }
                    return Digest.sha256(e.id.bytes)
                })
        }
        #expect(error.code == .invalidArgument)
        #expect(error.message.hasPrefix("event 20 ("))
        #expect(error.message.contains("NoIdentity"))
        // A LogError from the identifier comes out as it is.
        let own = LogError(.corrupt, "payload does not fit its schema")
        #expect(throws: own) { try EventLog.open(at: dir.store, identifier: { _ in throw own }) }
        #expect(try readStore(dir) == before)
        let log = try EventLog.open(at: dir.store, identifier: Format.hashOfStoredID)
        #expect(try log.verify().idAliases == 29)
    }

    @Test("a new store is created at format 7 and needs no identifier")
    func newStore() throws {
        let dir = TempDir()
        do { try EventLog.create(at: dir.store).append([event(1)]) }
        #expect(findAll(Array("format".utf8) + [7, 0, 0, 0], in: try readStore(dir)).count > 0)
        #expect(try EventLog.open(at: dir.store).lastSeq() == 1)
    }

    func readStore(_ dir: TempDir) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.store.logPath + "/data.mdb")))
    }
}
