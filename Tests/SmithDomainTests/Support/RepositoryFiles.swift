import Foundation
import SmithJSON
import SmithStore

/// Files of this repository the tests read: the event schemas and the store the release at 002c907 wrote.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let schemaEvents = root + "/schema/events"
    static let releaseStore = root + "/Tests/SmithCLITests/Fixtures/demo-store-002c907"

    static func json(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FixtureError("cannot read \(path)")
        }
        return try JSONParser.parse([UInt8](data))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The demo store as the release at 002c907 wrote it: events from its `log.jsonl`, blobs from its `data.mdb`.
///
/// The payloads are what that release wrote, so appending them raw at their recorded schema version is
/// appending "the way the old release did".
enum ReleaseFixture {
    /// One line of `log.jsonl`.
    struct Entry {
        var seq: UInt64
        var id: Digest
        var type: String
        var schemaVersion: Int
        var stream: String
        var blobs: [Digest]
        var payload: JSONValue

        /// The event as the old release appended it: no given id, so the id is the payload hash.
        var newEvent: NewEvent {
            NewEvent(type: type, schemaVersion: schemaVersion, stream: stream, payload: payload, blobs: blobs)
        }
    }

    static func entries() throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: RepositoryFiles.releaseStore + "/log.jsonl") else {
            throw FixtureError("cannot read the release fixture's log.jsonl")
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let v = try JSONParser.parse(String(line))
            guard let seq = v["seq"]?.int64Value, let id = v["id"]?.stringValue.flatMap({ Digest(hex: $0) }),
                let type = v["type"]?.stringValue, let version = v["schema_version"]?.int64Value,
                let stream = v["stream"]?.stringValue, let blobs = v["blobs"]?.arrayValue,
                let payload = v["payload"]
            else { throw FixtureError("unexpected line in log.jsonl: \(line.prefix(120))") }
            return Entry(
                seq: UInt64(seq), id: id, type: type, schemaVersion: Int(version), stream: stream,
                blobs: blobs.compactMap { $0.stringValue.flatMap { Digest(hex: $0) } }, payload: payload)
        }
    }

    /// The first event of `type` in the fixture.
    static func first(_ type: String) throws -> Entry {
        guard let entry = try entries().first(where: { $0.type == type }) else {
            throw FixtureError("no \(type) in the release fixture")
        }
        return entry
    }

    /// The bytes of the fixture's blobs, read from a temporary copy of its `data.mdb` (opening the file in
    /// the repository would leave a lock file there).
    static func blobs(_ digests: [Digest]) throws -> [[UInt8]] {
        let folder = NSTemporaryDirectory() + "smithlog-release-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let location = StoreLocation(root: folder)
        try FileManager.default.createDirectory(atPath: location.logPath, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: RepositoryFiles.releaseStore + "/data.mdb", toPath: location.logPath + "/data.mdb")
        let log = try EventLog.open(at: location, readOnly: true)
        return try digests.map { try log.blob($0) }
    }

    /// The InstanceRegistered v2 of the fixture's first row, turned into the v1 payload the release before it
    /// wrote: `instance_id` after `dataset` and `row_sha256` last, as `schema/events/InstanceRegistered.v1.json`
    /// lists them.
    static func instanceRegisteredV1() throws -> Entry {
        var entry = try first("InstanceRegistered")
        guard entry.schemaVersion == 2, case .object(let pairs) = entry.payload, entry.blobs.count == 1 else {
            throw FixtureError("the fixture's first InstanceRegistered is not a v2 event with one blob")
        }
        var v1: [(String, JSONValue)] = []
        for (key, value) in pairs {
            v1.append((key, value))
            if key == "dataset" {
                v1.append(("instance_id", .string(String(entry.stream.dropFirst("instance/".count)))))
            }
        }
        v1.append(("row_sha256", .string(entry.blobs[0].hex)))
        entry.payload = .object(v1)
        entry.schemaVersion = 1
        return entry
    }
}
