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
    /// What a warning summarised, one line per item (e.g. each predicted instance without a trajectory):
    /// printed with `--verbose` only.
    public var details: [String] = []
    /// Raw bytes read.
    public var bytesRead = 0
    /// The version the command recorded or found, as `NAME@N` (nil when it records no named thing).
    public var version: String?
    /// True when the named thing was already recorded with the same content, so nothing new was added for it.
    public var versionAlreadyRecorded = false

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

/// A command that could not go on: bad arguments, a bad file under `--strict`, or a name that is not recorded.
///
/// `code` decides the exit status (the CLI maps it in one place); `message` is the one line it prints.
public struct IngestError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable {
        /// The input cannot be recorded (a bad file, a refused option); exit 1.
        case failed
        /// A name, version or file the command was pointed at does not exist in the store; exit 3.
        case notFound
    }

    public var code: Code
    public var message: String

    public init(_ message: String, code: Code = .failed) {
        self.code = code
        self.message = message
    }

    /// A "no such name / version" error (exit 3).
    public static func notFound(_ message: String) -> IngestError { IngestError(message, code: .notFound) }

    public var description: String { message }
}
