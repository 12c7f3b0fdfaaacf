import Foundation
public import SmithDomain
public import SmithStore

/// A store in a fresh temporary folder, removed when the value goes away.
///
/// Events built with `SampleEvents` refer to `SampleBlobs`; `append` stores the ones an event names, so a
/// test appends typed events without preparing blobs. Other blobs are passed as bytes.
public final class TemporaryStore {
    /// The temporary folder; the store is its `store` subfolder.
    public let folder: String
    public let location: StoreLocation
    // Optional only so that `reopen` can close the environment before opening it again: LMDB must not have
    // one environment open twice in a process.
    private var current: EventLog?

    /// Creates an empty store with `EventLog.create(at:)`.
    public init() throws {
        folder = NSTemporaryDirectory() + "smithlog-test-" + UUID().uuidString
        location = StoreLocation(root: folder + "/store")
        current = try EventLog.create(at: location)
    }

    /// A copy of an existing log (`data.mdb`, e.g. a fixture an older release wrote), opened through the
    /// pipeline's upgrade path (`EventLog.openForPipeline`), so the original is never modified.
    public init(copyingLog dataFile: String, readOnly: Bool = false) throws {
        folder = NSTemporaryDirectory() + "smithlog-test-" + UUID().uuidString
        location = StoreLocation(root: folder + "/store")
        try FileManager.default.createDirectory(atPath: location.logPath, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dataFile, toPath: location.logPath + "/data.mdb")
        current = try EventLog.openForPipeline(at: location, readOnly: readOnly)
    }

    deinit {
        current = nil
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The open log.
    public var log: EventLog { current! }

    /// Closes the log and opens it again through the pipeline's upgrade path (`EventLog.openForPipeline`).
    public func reopenForPipeline() throws {
        current = nil
        current = try EventLog.openForPipeline(at: location)
    }

    /// Appends `events` in one transaction, validated as `newEvent()` validates them, with the sample blobs
    /// they name and `blobs`.
    @discardableResult
    public func append(_ events: [any PipelineEvent], blobs: [[UInt8]] = []) throws -> [AppendOutcome] {
        try appendRaw(events.map { try $0.newEvent() }, blobs: blobs)
    }

    /// Appends one typed event (see `append(_:blobs:)`).
    @discardableResult
    public func append(_ event: some PipelineEvent, blobs: [[UInt8]] = []) throws -> AppendOutcome {
        try append([event], blobs: blobs)[0]
    }

    /// Appends store-level events as given (an older release's payloads, say), with the sample blobs they name
    /// and `blobs`.
    @discardableResult
    public func appendRaw(_ events: [NewEvent], blobs: [[UInt8]] = []) throws -> [AppendOutcome] {
        var prepared = blobs.map { PreparedBlob($0) }
        var seen = Set(prepared.map(\.digest))
        for digest in events.flatMap(\.blobs) where !seen.contains(digest) {
            if let bytes = SampleBlobs.bytes(of: digest) {
                prepared.append(PreparedBlob(bytes))
                seen.insert(digest)
            }
        }
        return try log.append(events, blobs: prepared)
    }

    /// Every event in the log, in order.
    public func records() throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        try log.forEach { event in
            all.append(event)
            return true
        }
        return all
    }
}
