import SmithDomain
import SmithJSON
import SmithStore
import Testing

@testable import SmithProjections

@Suite("InstanceRegistered schema versions")
struct InstanceRegisteredVersionTests {
    static let id = "pandas-dev__pandas.95280573.pr_53652"
    static let row = Array(#"{"instance_id": "pandas-dev__pandas.95280573.pr_53652", "repo": "naïve ✓"}"#.utf8)

    /// The fields both versions share, in schema order; v1 had `instance_id` second and `row_sha256` last.
    static func payload(version: Int) -> JSONValue {
        var p = PayloadBuilder()
        p.set("dataset", "smith-mini")
        if version == 1 { p.set("instance_id", id) }
        p.set("position", 7)
        p.set("repo", "swesmith/pandas-dev__pandas.95280573")
        p.set("bug_type", "pr")
        p.set("f2p_count", 3)
        p.set("p2p_count", 40)
        p.set("image_name", nil as String?)
        p.set("created_at", "2025-04-11T00:16:11.182721")
        if version == 1 { p.set("row_sha256", Digest.sha256(row).hex) }
        return p.value
    }

    /// A store holding the one row's InstanceRegistered, appended with `version`, caught up.
    static func store(version: Int, _ dir: TempDir) throws -> (EventLog, ProjectionEngine) {
        let log = try EventLog.create(at: dir.store)
        let blob = PreparedBlob(row)
        let event = NewEvent(
            type: EventType.instanceRegistered.rawValue, schemaVersion: version, stream: StreamName.instance(id),
            payload: payload(version: version), blobs: [blob.digest])
        try log.append([event], blobs: [blob])
        let engine = try ProjectionEngine(store: dir.store)
        try engine.catchUp(log: log)
        return (log, engine)
    }

    @Test("new events are written with version 2")
    func currentVersion() {
        #expect(EventType.instanceRegistered.currentVersion == 2)
        let event = DomainEvent(
            .instanceRegistered, stream: StreamName.instance(Self.id), payload: Self.payload(version: 2))
        #expect(event.newEvent.schemaVersion == 2)
    }

    @Test("the v1 → v2 upcaster drops instance_id and row_sha256 and keeps the rest in order")
    func upcaster() throws {
        let upcast = try Upcasters.standard.upcast(Self.payload(version: 1), type: .instanceRegistered, from: 1)
        #expect(upcast == Self.payload(version: 2))
        #expect(PythonJSON.compactBytes(upcast) == PythonJSON.compactBytes(Self.payload(version: 2)))
        // A current payload passes through untouched.
        #expect(
            try Upcasters.standard.upcast(Self.payload(version: 2), type: .instanceRegistered, from: 2)
                == Self.payload(version: 2))
    }

    @Test("a v1 event and the v2 event for the same row project to identical instances rows")
    func sameRows() throws {
        let dir1 = TempDir()
        let dir2 = TempDir()
        let (log1, engine1) = try Self.store(version: 1, dir1)
        let (log2, _) = try Self.store(version: 2, dir2)
        // Each event stays as it was written.
        #expect(try log1.event(seq: 1).schemaVersion == 1)
        #expect(try log2.event(seq: 1).schemaVersion == 2)
        #expect(try log1.event(seq: 1).payload() == Self.payload(version: 1))

        let v1 = try dump(dir1.store.projectionsPath)
        let v2 = try dump(dir2.store.projectionsPath)
        #expect(v1["instances"] == v2["instances"])
        #expect(v1["instances"]?.count == 1)
        #expect(
            try engine1.query(sql: "SELECT instance_id, row_sha256, image_name IS NULL FROM instances").rows
                == [[.text(Self.id), .text(Digest.sha256(Self.row).hex), .integer(1)]])
    }

    @Test("an InstanceRegistered outside an instance/ stream or without its blob is refused")
    func envelopeChecked() throws {
        for (stream, blobs) in [
            ("dataset/x", true), (StreamName.instance(""), true), (StreamName.instance("a"), false),
        ] {
            let dir = TempDir()
            let log = try EventLog.create(at: dir.store)
            let blob = PreparedBlob(Self.row)
            let event = DomainEvent(
                .instanceRegistered, stream: stream, payload: Self.payload(version: 2),
                blobs: blobs ? [blob.digest] : [])
            try log.append([event.newEvent], blobs: blobs ? [blob] : [])
            let engine = try ProjectionEngine(store: dir.store)
            let error = try #require(throws: ProjectionError.self) { try engine.catchUp(log: log) }
            #expect(error.code == .cannotApply)
            #expect(error.event?.seq == 1)
        }
    }
}
