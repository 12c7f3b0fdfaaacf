public import SmithJSON
public import SmithStore

/// A chunk of a checkpoint's training curve: up to `chunkLines` lines of a torchtune DiskLogger log.
///
/// A log of N lines is recorded as ⌈N / 1,000⌉ of these, in the checkpoint's stream, each citing the raw log
/// file (one blob). The values are columns: `steps` holds each line's step, and `values[name][i]` the value of
/// `name` on line i (null when that line did not log it; the strings `nan`, `inf` and `-inf` for what JSON
/// cannot hold). Identity: the checkpoint version, the log's SHA-256 and the chunk index.
public struct TrainingMetricsRecorded: PipelineEvent {
    public static let eventType = EventType.trainingMetricsRecorded
    public static let schemaVersion = 1

    /// Lines a chunk holds at most: a 1,000-step chunk of a DPO log (12 metrics a step) is some 250 KB.
    public static let chunkLines = 1000

    /// A value of one metric on one line: absent, or a float (NaN and the infinities included).
    public enum Value: Sendable, Equatable {
        case absent
        case number(Double)

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.absent, .absent): true
            case (.number(let x), .number(let y)): x == y || (x.isNaN && y.isNaN)
            default: false
            }
        }
    }

    /// The checkpoint's name.
    public var checkpoint: String
    /// The checkpoint's version the curve belongs to.
    public var checkpointVersion: Int
    /// The log file's base name, e.g. `log_1717171717.txt`.
    public var logFile: String
    /// SHA-256 of the whole log file (its blob).
    public var logSHA256: Digest
    /// `txt` or `jsonl`.
    public var format: String
    /// 0-based index of this chunk, and how many the log has.
    public var chunk: Int
    public var chunks: Int
    /// The step of each line of the chunk, in file order.
    public var steps: [Int]
    /// Each metric's column, in the order the names first appear in the chunk; every column has `steps.count`
    /// values.
    public var values: [(name: String, column: [Value])]

    public init(
        checkpoint: String, checkpointVersion: Int, logFile: String, logSHA256: Digest, format: String, chunk: Int,
        chunks: Int, steps: [Int], values: [(name: String, column: [Value])]
    ) {
        self.checkpoint = checkpoint
        self.checkpointVersion = checkpointVersion
        self.logFile = logFile
        self.logSHA256 = logSHA256
        self.format = format
        self.chunk = chunk
        self.chunks = chunks
        self.steps = steps
        self.values = values
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.checkpoint == b.checkpoint && a.checkpointVersion == b.checkpointVersion && a.logFile == b.logFile
            && a.logSHA256 == b.logSHA256 && a.format == b.format && a.chunk == b.chunk && a.chunks == b.chunks
            && a.steps == b.steps && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.name == $1.name && $0.column == $1.column }
    }

    public var stream: String { StreamName.checkpoint(checkpoint) }
    public var blobs: [Digest] { [logSHA256] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("checkpoint", checkpoint)
        p.int("checkpoint_version", checkpointVersion)
        p.string("log_file", logFile)
        p.digest("log_sha256", logSHA256)
        p.string("format", format)
        p.int("chunk", chunk)
        p.int("chunks", chunks)
        p.int("first_step", steps.first ?? 0)
        p.int("last_step", steps.last ?? 0)
        p.json("steps", .array(steps.map { .int($0) }))
        p.json("values", .object(values.map { ($0.name, .array($0.column.map(Self.json))) }))
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        checkpoint = try p.string("checkpoint")
        checkpointVersion = try p.int("checkpoint_version")
        logFile = try p.string("log_file")
        logSHA256 = try p.digest("log_sha256")
        format = try p.string("format")
        chunk = try p.int("chunk")
        chunks = try p.int("chunks")
        _ = try p.int("first_step")
        _ = try p.int("last_step")
        guard case .array(let stepItems) = try p.json("steps", .array) else {
            throw EventDecodingError("field 'steps' must be an array")
        }
        var steps: [Int] = []
        steps.reserveCapacity(stepItems.count)
        for item in stepItems {
            guard let s = item.int64Value else { throw EventDecodingError("field 'steps' must hold integers") }
            steps.append(Int(s))
        }
        self.steps = steps
        guard case .object(let columns) = try p.json("values", .object) else {
            throw EventDecodingError("field 'values' must be an object")
        }
        var values: [(name: String, column: [Value])] = []
        for (name, column) in columns {
            guard case .array(let items) = column else {
                throw EventDecodingError("field 'values' must map each metric to an array")
            }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let v = Self.value(item) else {
                    throw EventDecodingError("field 'values.\(name)' must hold numbers, null, \"nan\" or \"inf\"")
                }
                out.append(v)
            }
            values.append((name, out))
        }
        self.values = values
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.int("checkpoint_version", checkpointVersion)
        p.digest("log_sha256", logSHA256)
        p.int("chunk", chunk)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(checkpoint, "TrainingMetricsRecorded.checkpoint")
        guard checkpointVersion >= 1 else {
            throw EventValidationError("TrainingMetricsRecorded.checkpoint_version", "must be 1 or more")
        }
        try EventValidation.text(logFile, "TrainingMetricsRecorded.log_file", what: "a file name")
        guard ["txt", "jsonl"].contains(format) else {
            throw EventValidationError("TrainingMetricsRecorded.format", "must be txt or jsonl")
        }
        guard chunk >= 0, chunk < chunks else {
            throw EventValidationError("TrainingMetricsRecorded.chunk", "must be from 0 to chunks - 1")
        }
        guard !steps.isEmpty, steps.count <= Self.chunkLines else {
            throw EventValidationError(
                "TrainingMetricsRecorded.steps", "must hold 1 to \(Self.chunkLines) steps, found \(steps.count)")
        }
        guard steps.allSatisfy({ $0 >= 0 }) else {
            throw EventValidationError("TrainingMetricsRecorded.steps", "must not be negative")
        }
        var names = Set<String>()
        for (name, column) in values {
            guard !name.isEmpty, names.insert(name).inserted else {
                throw EventValidationError("TrainingMetricsRecorded.values", "names must be non-empty and distinct")
            }
            guard column.count == steps.count else {
                throw EventValidationError(
                    "TrainingMetricsRecorded.values.\(name)", "must hold \(steps.count) values, found \(column.count)")
            }
        }
    }

    /// A value as the payload holds it.
    static func json(_ v: Value) -> JSONValue {
        switch v {
        case .absent: .null
        case .number(let d) where d.isNaN: .string("nan")
        case .number(let d) where d.isInfinite: .string(d > 0 ? "inf" : "-inf")
        case .number(let d): .number(PythonFloat.repr(d))
        }
    }

    /// The payload's value back; nil for anything `json(_:)` does not write.
    static func value(_ item: JSONValue) -> Value? {
        switch item {
        case .null: .absent
        case .number(let text): Double(text).map(Value.number)
        case .string("nan"): .number(.nan)
        case .string("inf"): .number(.infinity)
        case .string("-inf"): .number(-.infinity)
        default: nil
        }
    }
}
