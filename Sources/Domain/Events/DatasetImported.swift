public import SmithStore

/// A SWE-smith or SWE-bench dataset file was imported; appended after all its rows (`InstanceRegistered`).
///
/// Identity: the name and the file's SHA-256. A version of a dataset name (`NAME@N`) is the N-th of these
/// in `dataset/<name>`.
public struct DatasetImported: PipelineEvent {
    public static let eventType = EventType.datasetImported
    public static let schemaVersion = 1

    public var name: String
    /// The file's base name.
    public var fileName: String
    /// SHA-256 of the whole file.
    public var sha256: Digest
    /// `json` or `jsonl`.
    public var format: String
    public var rows: Int

    public init(name: String, fileName: String, sha256: Digest, format: String, rows: Int) {
        self.name = name
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.rows = rows
    }

    public var stream: String { StreamName.dataset(name) }
    public var blobs: [Digest] { [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("file_name", fileName)
        p.digest("sha256", sha256)
        p.string("format", format)
        p.int("rows", rows)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        fileName = try p.string("file_name")
        sha256 = try p.digest("sha256")
        format = try p.string("format")
        rows = try p.int("rows")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.digest("sha256", sha256)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "DatasetImported.name")
        try EventValidation.text(fileName, "DatasetImported.file_name")
        guard format == "json" || format == "jsonl" else {
            throw EventValidationError("DatasetImported.format", "must be json or jsonl, found '\(format)'")
        }
        try EventValidation.count(rows, "DatasetImported.rows")
    }
}
