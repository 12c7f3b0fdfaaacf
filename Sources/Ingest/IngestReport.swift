/// What one ingest did: the one-line summary every ingest command ends with.
public struct IngestReport: Sendable {
    /// Events written now.
    public var newEvents = 0
    /// Events that were already in the log (the same facts recorded before).
    public var alreadyRecorded = 0
    /// Artifacts (files, rows) read and recorded, new or not.
    public var artifacts = 0
    /// Files skipped, each with the one-line reason.
    public var skipped: [String] = []
    /// Warnings that did not stop the ingest (e.g. preds.json disagreeing with a trajectory).
    public var warnings: [String] = []
    /// Raw bytes read.
    public var bytesRead = 0

    public init() {}

    /// `12 new events, 3 already recorded, 1 skipped (see above)`.
    public var summary: String {
        var s = "\(newEvents) new event\(newEvents == 1 ? "" : "s"), \(alreadyRecorded) already recorded"
        s += ", \(skipped.count) skipped"
        if !warnings.isEmpty { s += ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")" }
        return s
    }
}

/// How an ingest reports progress: (artifacts done, artifacts total, bytes read so far).
public typealias IngestProgress = @Sendable (Int, Int, Int) -> Void

/// An ingest that could not go on: bad arguments, or a bad file under `--strict`.
public struct IngestError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
