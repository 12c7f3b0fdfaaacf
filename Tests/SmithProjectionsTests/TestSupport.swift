import Foundation
import SmithDomain
import SmithJSON
import SmithStore

@testable import SmithProjections

/// A fresh temporary folder per test, removed when the value goes away.
final class TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "smithlog-proj-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: StoreLocation { StoreLocation(root: path + "/store") }
}

/// Events to append together, with the blobs they refer to.
struct AppendBatch {
    var events: [NewEvent] = []
    var blobs: [PreparedBlob] = []

    /// Adds `event` (validated, as every writer adds it) with the artifacts it refers to (see `artifact(_:)`).
    mutating func add(_ event: some PipelineEvent) {
        for digest in event.blobs where !blobs.contains(where: { $0.digest == digest }) {
            if let bytes = Artifacts.shared.bytes(digest) { blobs.append(PreparedBlob(bytes)) }
        }
        events.append(try! event.newEvent())
    }
}

/// The digest of an artifact whose bytes are `text`, kept so that `AppendBatch.add` can store it.
func artifact(_ text: String) -> Digest { Artifacts.shared.add(Array(text.utf8)) }

/// Artifact bytes by digest, shared by the tests (which run in parallel).
final class Artifacts: @unchecked Sendable {
    static let shared = Artifacts()
    private let lock = NSLock()
    private var byDigest: [Digest: [UInt8]] = [:]

    func add(_ bytes: [UInt8]) -> Digest {
        let digest = Digest.sha256(bytes)
        lock.withLock { byDigest[digest] = bytes }
        return digest
    }

    func bytes(_ digest: Digest) -> [UInt8]? { lock.withLock { byDigest[digest] } }
}

/// `event`'s NewEvent with `fields` taken out of its payload: a payload no reader accepts, for the tests of
/// events a projection cannot apply (appended with the raw Store API, past validation).
func withoutFields(_ event: some PipelineEvent, _ fields: Set<String>, schemaVersion: Int? = nil) -> NewEvent {
    var new = try! event.newEvent()
    if case .object(let pairs) = new.payload { new.payload = .object(pairs.filter { !fields.contains($0.0) }) }
    new.blobs = []
    if let schemaVersion { new.schemaVersion = schemaVersion }
    return new
}
/// Appends every batch, each in its own append call.
func append(_ batches: [AppendBatch], to log: EventLog) throws {
    for batch in batches { try log.append(batch.events, blobs: batch.blobs) }
}

/// Every table and view of a projections file, each row list in a fixed order (all columns ascending).
func dump(_ path: String) throws -> [String: [[SQLValue]]] {
    let reader = try ProjectionReader(path: path)
    let names = try reader.query(
        sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%'"
    ).rows.compactMap { $0.first?.stringValue }
    var out: [String: [[SQLValue]]] = [:]
    for name in names {
        let columns = try reader.query(sql: "SELECT * FROM \"\(name)\" LIMIT 0").columns
        let order = (1...columns.count).map(String.init).joined(separator: ", ")
        out[name] = try reader.query(sql: "SELECT * FROM \"\(name)\" ORDER BY \(order)").rows
    }
    return out
}

/// One row count.
func count(_ engine: ProjectionEngine, _ sql: String) throws -> Int64 {
    try engine.query(sql: sql).rows.first?.first?.int64Value ?? -1
}

/// The first column of every row, as text.
func strings(_ engine: ProjectionEngine, _ sql: String) throws -> [String?] {
    try engine.query(sql: sql).rows.map { $0.first?.stringValue }
}
