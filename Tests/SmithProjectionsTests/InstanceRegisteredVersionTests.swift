import SmithDomain
import SmithJSON
import SmithStore
import Testing

@testable import SmithProjections

@Suite("InstanceRegistered schema versions")
struct InstanceRegisteredVersionTests {
    static let id = "pandas-dev__pandas.95280573.pr_53652"
    static let row = Array(#"{"instance_id": "pandas-dev__pandas.95280573.pr_53652", "repo": "naïve ✓"}"#.utf8)

    static var event: InstanceRegistered {
        InstanceRegistered(
            instanceID: id, row: Digest.sha256(row), dataset: "smith-mini", position: 7,
            repo: "swesmith/pandas-dev__pandas.95280573", bugType: "pr", failToPassCount: 3, passToPassCount: 40,
            imageName: nil, createdAt: "2025-04-11T00:16:11.182721")
    }

    /// The event as this code writes it (version 2), or as version 1 wrote it: `instance_id` second and
    /// `row_sha256` last, repeating the stream and the blob.
    static func newEvent(version: Int) throws -> NewEvent {
        var new = try event.newEvent()
        guard version == 1, case .object(var pairs) = new.payload else { return new }
        pairs.insert(("instance_id", .string(id)), at: 1)
        pairs.append(("row_sha256", .string(Digest.sha256(row).hex)))
        new.payload = .object(pairs)
        new.schemaVersion = 1
        return new
    }

    /// A store holding the one row's InstanceRegistered, appended with `version`, caught up.
    static func store(version: Int, _ dir: TempDir) throws -> (EventLog, ProjectionEngine) {
        let log = try EventLog.create(at: dir.store)
        try log.append([try newEvent(version: version)], blobs: [PreparedBlob(row)])
        let engine = try ProjectionEngine(store: dir.store)
        try engine.catchUp(log: log)
        return (log, engine)
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

        let v1 = try dump(dir1.store.projectionsPath)
        let v2 = try dump(dir2.store.projectionsPath)
        #expect(v1["instances"] == v2["instances"])
        #expect(v1["instances"]?.count == 1)
        #expect(
            try engine1.query(sql: "SELECT instance_id, row_sha256, image_name IS NULL FROM instances").rows
                == [[.text(Self.id), .text(Digest.sha256(Self.row).hex), .integer(1)]])
    }

    @Test("an InstanceRegistered outside an instance/ stream, with an empty id or without its blob is skipped")
    func envelopeChecked() throws {
        for (stream, blobs) in [
            ("dataset/x", true), (StreamName.instance(""), true), (StreamName.instance("a"), false),
        ] {
            let dir = TempDir()
            let log = try EventLog.create(at: dir.store)
            let blob = PreparedBlob(Self.row)
            // The raw Store API, past the type's validation.
            var new = try Self.event.newEvent()
            new.stream = stream
            new.blobs = blobs ? [blob.digest] : []
            try log.append([new], blobs: blobs ? [blob] : [])
            let engine = try ProjectionEngine(store: dir.store)
            let report = try engine.catchUp(log: log)
            #expect(report.skipped.map(\.event.seq) == [1], "\(stream)")
            #expect(try count(engine, "SELECT count(*) FROM instances") == 0)
        }
    }
}
