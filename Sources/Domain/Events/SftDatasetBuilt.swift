public import SmithStore

/// An SFT jsonl built from a run's resolved trajectories (or combined from other SFT sets); its lines follow
/// as `FtSampleEmitted`, each pinned to this event's id.
///
/// Identity: every field (the lines reference this event's id as their `build`).
public struct SftDatasetBuilt: PipelineEvent {
    public static let eventType = EventType.sftDatasetBuilt
    public static let schemaVersion = 1

    public var name: String
    /// `xml`, `ticks`, `tool` or `combined`.
    public var style: String
    /// The SFT transform version (`xml-v1`, ...) or `combine`.
    public var transform: String
    public var systemPrompt: Digest?
    public var trajRun: String?
    public var evalRun: String?
    public var subset: String?
    public var onlyResolved: Bool
    public var fileName: String
    /// SHA-256 of the exported jsonl (all lines).
    public var export: Digest
    public var lines: Int
    /// Trajectories left out, by reason.
    public var skipped: [(String, Int)]
    /// For a combined set: the SFT sets it drew from, the seed, `max_per_inst` and the metadata blob.
    public var combinedFrom: [String]?
    public var seed: Int?
    public var maxPerInstance: Int?
    public var metadata: Digest?

    public init(
        name: String, style: String, transform: String, systemPrompt: Digest?, trajRun: String?, evalRun: String?,
        subset: String?, onlyResolved: Bool, fileName: String, export: Digest, lines: Int, skipped: [(String, Int)],
        combinedFrom: [String]?, seed: Int?, maxPerInstance: Int?, metadata: Digest?
    ) {
        self.name = name
        self.style = style
        self.transform = transform
        self.systemPrompt = systemPrompt
        self.trajRun = trajRun
        self.evalRun = evalRun
        self.subset = subset
        self.onlyResolved = onlyResolved
        self.fileName = fileName
        self.export = export
        self.lines = lines
        self.skipped = skipped
        self.combinedFrom = combinedFrom
        self.seed = seed
        self.maxPerInstance = maxPerInstance
        self.metadata = metadata
    }

    public static func == (a: Self, b: Self) -> Bool { a.payload == b.payload }

    public var stream: String { StreamName.sft(name) }
    public var blobs: [Digest] { metadata.map { [$0] } ?? [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("style", style)
        p.string("transform", transform)
        p.digest("system_prompt_sha256", systemPrompt)
        p.string("traj_run", trajRun)
        p.string("eval_run", evalRun)
        p.string("subset", subset)
        p.bool("only_resolved", onlyResolved)
        p.string("file_name", fileName)
        p.digest("export_sha256", export)
        p.int("lines", lines)
        p.counts("skipped", skipped)
        p.strings("combined_from", combinedFrom)
        p.int("seed", seed)
        p.int("max_per_inst", maxPerInstance)
        p.digest("metadata_sha256", metadata)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        style = try p.string("style")
        transform = try p.string("transform")
        systemPrompt = try p.optionalDigest("system_prompt_sha256")
        trajRun = try p.optionalString("traj_run")
        evalRun = try p.optionalString("eval_run")
        subset = try p.optionalString("subset")
        onlyResolved = try p.bool("only_resolved")
        fileName = try p.string("file_name")
        export = try p.digest("export_sha256")
        lines = try p.int("lines")
        skipped = try p.counts("skipped")
        combinedFrom = try p.optionalStrings("combined_from")
        seed = try p.optionalInt("seed")
        maxPerInstance = try p.optionalInt("max_per_inst")
        metadata = try p.optionalDigest("metadata_sha256")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) { encode(to: &p) }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "SftDatasetBuilt.name")
        try EventValidation.text(fileName, "SftDatasetBuilt.file_name")
        try EventValidation.count(lines, "SftDatasetBuilt.lines")
    }
}
