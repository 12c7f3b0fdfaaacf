public import SmithStore

/// A harness evaluation run (SWE-smith's or SWE-bench's `logs/run_evaluation/<run_id>/`).
///
/// Identity: the name, the folder layout, the run summary's SHA-256 and the model.
public struct EvalRunStarted: PipelineEvent {
    public static let eventType = EventType.evalRunStarted
    public static let schemaVersion = 1

    public var name: String
    /// The trajectory run it evaluates, as `NAME` or `NAME@N`, if known.
    public var ofRun: String?
    /// `swe-smith` or `swe-bench`.
    public var layout: String
    public var summary: Digest?
    public var model: String?

    public init(name: String, ofRun: String?, layout: String, summary: Digest?, model: String?) {
        self.name = name
        self.ofRun = ofRun
        self.layout = layout
        self.summary = summary
        self.model = model
    }

    public var stream: String { StreamName.evalRun(name) }
    public var blobs: [Digest] { summary.map { [$0] } ?? [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("of_run", ofRun)
        p.string("layout", layout)
        p.digest("summary_sha256", summary)
        p.string("model", model)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        ofRun = try p.optionalString("of_run")
        layout = try p.string("layout")
        summary = try p.optionalDigest("summary_sha256")
        model = try p.optionalString("model")
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
}
