public import SmithStore

/// A harness evaluation run (SWE-smith's or SWE-bench's `logs/run_evaluation/<run_id>/`).
///
/// Identity: the name, the folder layout, the run summary's SHA-256 and the model. Version 2 added what the
/// SWE-bench harness's `run.json` says (`dataset`, `split`, `created_at`, the file as a blob); they are null when
/// read from version 1 and are not part of the identity.
public struct EvalRunStarted: PipelineEvent {
    public static let eventType = EventType.evalRunStarted
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: addRunMetadata]

    public var name: String
    /// The trajectory run it evaluates, as `NAME` or `NAME@N`, if known.
    public var ofRun: String?
    /// `swe-smith` or `swe-bench`.
    public var layout: String
    public var summary: Digest?
    public var model: String?
    /// `run.json`'s `dataset` (e.g. `SWE-bench/SWE-bench_Verified`), when the harness wrote one.
    public var dataset: String?
    /// `run.json`'s `split`.
    public var split: String?
    /// `run.json`'s `created_at`, as written (ISO 8601).
    public var createdAt: String?
    /// SHA-256 of `run.json` (a blob).
    public var runMetadata: Digest?

    public init(
        name: String, ofRun: String?, layout: String, summary: Digest?, model: String?, dataset: String? = nil,
        split: String? = nil, createdAt: String? = nil, runMetadata: Digest? = nil
    ) {
        self.name = name
        self.ofRun = ofRun
        self.layout = layout
        self.summary = summary
        self.model = model
        self.dataset = dataset
        self.split = split
        self.createdAt = createdAt
        self.runMetadata = runMetadata
    }

    public var stream: String { StreamName.evalRun(name) }
    public var blobs: [Digest] { [summary, runMetadata].compactMap { $0 } }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("of_run", ofRun)
        p.string("layout", layout)
        p.digest("summary_sha256", summary)
        p.string("model", model)
        p.string("dataset", dataset)
        p.string("split", split)
        p.string("created_at", createdAt)
        p.digest("run_metadata_sha256", runMetadata)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        ofRun = try p.optionalString("of_run")
        layout = try p.string("layout")
        summary = try p.optionalDigest("summary_sha256")
        model = try p.optionalString("model")
        dataset = try p.optionalString("dataset")
        split = try p.optionalString("split")
        createdAt = try p.optionalString("created_at")
        runMetadata = try p.optionalDigest("run_metadata_sha256")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("layout", layout)
        p.digest("summary_sha256", summary)
        p.string("model", model)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "EvalRunStarted.name")
    }

    /// v1 → v2: what run.json said is unknown for eval runs recorded before it was kept.
    static let addRunMetadata: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(
            pairs + [("dataset", .null), ("split", .null), ("created_at", .null), ("run_metadata_sha256", .null)])
    }
}
