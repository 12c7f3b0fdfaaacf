public import SmithJSON
public import SmithStore

/// A SWE-agent (or mini-swe-agent) run-batch: its model and config; its trajectories follow in the stream.
///
/// Identity: the name, the folder, the model and the config's SHA-256. Version 2 added `folder` (null when
/// read from version 1), so that a second folder under the same run name is told apart. Version 3 added
/// `scaffold` (`swe-agent` when read from older versions: smithlog read only SWE-agent runs then) and
/// `checkpoint` (null when read from older versions); neither is identity.
public struct RunStarted: PipelineEvent {
    public static let eventType = EventType.runStarted
    public static let schemaVersion = 3
    public static let upcasters: [Int: Upcast] = [1: addFolder, 2: addScaffoldAndCheckpoint]

    public var name: String
    public var model: String?
    public var agentVersion: String?
    /// The config file's base name.
    public var configFile: String?
    public var config: JSONValue?
    public var configSHA256: Digest?
    /// The subset the run's instances match, as `NAME@N`, if any.
    public var subset: String?
    /// Trajectories in the folder when it was first recorded.
    public var instances: Int
    /// The run folder's absolute path; nil for runs recorded before version 2.
    public var folder: String?
    /// The agent that wrote the run: `swe-agent` or `mini-swe-agent` (its version is `agentVersion`).
    public var scaffold: String?
    /// For an inference run of one of our checkpoints (`ingest trajectories --checkpoint`): that checkpoint,
    /// as `NAME@N`.
    public var checkpoint: String?

    public init(
        name: String, model: String?, agentVersion: String?, configFile: String?, config: JSONValue?,
        configSHA256: Digest?, subset: String?, instances: Int, folder: String?, scaffold: String? = nil,
        checkpoint: String? = nil
    ) {
        self.checkpoint = checkpoint
        self.name = name
        self.model = model
        self.agentVersion = agentVersion
        self.configFile = configFile
        self.config = config
        self.configSHA256 = configSHA256
        self.subset = subset
        self.instances = instances
        self.folder = folder
        self.scaffold = scaffold
    }

    public var stream: String { StreamName.run(name) }
    public var blobs: [Digest] { configSHA256.map { [$0] } ?? [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("model", model)
        p.string("agent_version", agentVersion)
        p.string("config_file", configFile)
        p.json("config", config ?? .null)
        p.digest("config_sha256", configSHA256)
        p.string("subset", subset)
        p.int("instances", instances)
        p.string("folder", folder)
        p.string("scaffold", scaffold)
        p.string("checkpoint", checkpoint)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        model = try p.optionalString("model")
        agentVersion = try p.optionalString("agent_version")
        configFile = try p.optionalString("config_file")
        config = try p.optionalJSON("config", .object)
        configSHA256 = try p.optionalDigest("config_sha256")
        subset = try p.optionalString("subset")
        instances = try p.int("instances")
        folder = try p.optionalString("folder")
        scaffold = try p.optionalString("scaffold")
        checkpoint = try p.optionalString("checkpoint")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("folder", folder)
        p.string("model", model)
        p.digest("config_sha256", configSHA256)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "RunStarted.name")
        try EventValidation.count(instances, "RunStarted.instances")
        if let scaffold { try EventValidation.name(scaffold, "RunStarted.scaffold") }
    }

    /// v1 → v2: `folder` is unknown for runs recorded before it was kept.
    static let addFolder: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("folder", .null)])
    }

    /// v2 → v3: runs recorded before the scaffold was kept are SWE-agent runs (the only ones read then), and
    /// none of them was recorded as a checkpoint's inference run.
    static let addScaffoldAndCheckpoint: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("scaffold", .string("swe-agent")), ("checkpoint", .null)])
    }
}
