import Foundation
import SmithJSON
import SmithStore

/// A fresh temporary folder per test, removed when the value goes away.
final class TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "smithlog-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: StoreLocation { StoreLocation(root: path + "/store") }
}

func event(_ i: Int, stream: String = "run/a", type: String = "TrajectoryProduced", blobs: [Digest] = []) -> NewEvent {
    NewEvent(
        type: type, stream: stream,
        payload: .object([("instance_id", .string("inst-\(i)")), ("n", .int(i)), ("ok", .bool(i % 2 == 0))]),
        blobs: blobs)
}

func allEvents(_ log: EventLog) throws -> [RecordedEvent] {
    var out: [RecordedEvent] = []
    try log.forEach {
        out.append($0); return true
    }
    return out
}

/// The built products folder (where `smithlog` and `smithlog-bench` are).
func productsDirectory() -> URL {
    let bundle = Bundle.main.bundleURL
    return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
}

/// Flips one byte of `file` at every occurrence of `needle`.
///
/// Every occurrence, because LMDB copies pages on write: stale copies of a record sit in free pages,
/// and flipping only one of those would change nothing the log reads.
func flipByte(in file: String, at needle: [UInt8], offset: Int = 0) throws -> Bool {
    var data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
    let hits = findAll(needle, in: data)
    for i in hits { data[i + offset] ^= 0x01 }
    try Data(data).write(to: URL(fileURLWithPath: file))
    return !hits.isEmpty
}

func findAll(_ needle: [UInt8], in hay: [UInt8]) -> [Int] {
    guard !needle.isEmpty, hay.count >= needle.count else { return [] }
    var hits: [Int] = []
    outer: for i in 0...(hay.count - needle.count) {
        if hay[i] != needle[0] { continue }
        for j in 1..<needle.count where hay[i + j] != needle[j] { continue outer }
        hits.append(i)
    }
    return hits
}
