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

    mutating func add(_ type: EventType, _ stream: String, _ payload: PayloadBuilder, blobs: [[UInt8]] = []) {
        let prepared = blobs.map { PreparedBlob($0) }
        self.blobs += prepared
        events.append(DomainEvent(type, stream: stream, payload: payload.value, blobs: prepared.map(\.digest)).newEvent)
    }
}

func sha(_ text: String) -> String { Digest.sha256(Array(text.utf8)).hex }

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
