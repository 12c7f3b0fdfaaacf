public import SmithStore

/// One trajectory of a run (the file is the blob; the submitted patch a second blob) and what it says.
///
/// Identity: the run, the instance and the trajectory's SHA-256; the other fields are read from those bytes,
/// except `position` (and `exit_status` when the file has none: then the run's exit-status files say it). Version 2 added `position` (null when read from version 1); it is not identity.
public struct TrajectoryProduced: PipelineEvent {
    public static let eventType = EventType.trajectoryProduced
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: addPosition]

    public var run: String
    public var instanceID: String
    public var trajectory: Digest
    /// The file's layout (`history-only`, `pre-1.0`, `1.0-messages`, `1.1-query`, or mini-swe-agent's
    /// `mini-swe-agent-1`, `mini-swe-agent-1.1`).
    public var format: String
    public var exitStatus: String?
    public var submission: Digest?
    public var instanceCost: Double?
    public var tokensSent: Int?
    public var tokensReceived: Int?
    public var apiCalls: Int?
    public var steps: Int
    public var sweAgentVersion: String?
    public var sweRexVersion: String?
    /// Its place (0, 1, ...) among the run's trajectories in the order the ingesting machine's file system
    /// listed the run folder (`readdir`, what SWE-smith's `transform_to_ft` iterates); nil when unknown
    /// (recorded before version 2). `sft export --order ingest` orders lines by it.
    public var position: Int?

    public init(
        run: String, instanceID: String, trajectory: Digest, format: String, exitStatus: String?,
        submission: Digest?, instanceCost: Double?, tokensSent: Int?, tokensReceived: Int?, apiCalls: Int?,
        steps: Int, sweAgentVersion: String?, sweRexVersion: String?, position: Int? = nil
    ) {
        self.run = run
        self.instanceID = instanceID
        self.trajectory = trajectory
        self.format = format
        self.exitStatus = exitStatus
        self.submission = submission
        self.instanceCost = instanceCost
        self.tokensSent = tokensSent
        self.tokensReceived = tokensReceived
        self.apiCalls = apiCalls
        self.steps = steps
        self.sweAgentVersion = sweAgentVersion
        self.sweRexVersion = sweRexVersion
        self.position = position
    }

    public var stream: String { StreamName.run(run) }
    public var blobs: [Digest] { [trajectory] + (submission.map { [$0] } ?? []) }

    public func encode(to p: inout PayloadEncoder) {
        p.string("run", run)
        p.string("instance_id", instanceID)
        p.digest("traj_sha256", trajectory)
        p.string("format", format)
        p.string("exit_status", exitStatus)
        p.digest("submission_sha256", submission)
        p.double("instance_cost", instanceCost)
        p.int("tokens_sent", tokensSent)
        p.int("tokens_received", tokensReceived)
        p.int("api_calls", apiCalls)
        p.int("steps", steps)
        p.string("swe_agent_version", sweAgentVersion)
        p.string("swe_rex_version", sweRexVersion)
        p.int("position", position)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        run = try p.string("run")
        instanceID = try p.string("instance_id")
        trajectory = try p.digest("traj_sha256")
        format = try p.string("format")
        exitStatus = try p.optionalString("exit_status")
        submission = try p.optionalDigest("submission_sha256")
        instanceCost = try p.optionalDouble("instance_cost")
        tokensSent = try p.optionalInt("tokens_sent")
        tokensReceived = try p.optionalInt("tokens_received")
        apiCalls = try p.optionalInt("api_calls")
        steps = try p.int("steps")
        sweAgentVersion = try p.optionalString("swe_agent_version")
        sweRexVersion = try p.optionalString("swe_rex_version")
        position = try p.optionalInt("position")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("run", run)
        p.string("instance_id", instanceID)
        p.digest("traj_sha256", trajectory)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(run, "TrajectoryProduced.run")
        try EventValidation.instanceID(instanceID, "TrajectoryProduced.instance_id")
        try EventValidation.count(steps, "TrajectoryProduced.steps")
        if let position { try EventValidation.count(position, "TrajectoryProduced.position") }
    }

    /// v1 → v2: the listing position is unknown for trajectories recorded before it was kept.
    static let addPosition: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("position", .null)])
    }
}
