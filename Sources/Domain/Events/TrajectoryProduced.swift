public import SmithStore

/// One trajectory of a run (the file is the blob; the submitted patch a second blob) and what it says.
///
/// Identity: the run, the instance and the trajectory's SHA-256; the other fields are read from those bytes.
public struct TrajectoryProduced: PipelineEvent {
    public static let eventType = EventType.trajectoryProduced
    public static let schemaVersion = 1

    public var run: String
    public var instanceID: String
    public var trajectory: Digest
    /// The file's layout (`history-only`, `pre-1.0`, `1.0-messages`, `1.1-query`).
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

    public init(
        run: String, instanceID: String, trajectory: Digest, format: String, exitStatus: String?,
        submission: Digest?, instanceCost: Double?, tokensSent: Int?, tokensReceived: Int?, apiCalls: Int?,
        steps: Int, sweAgentVersion: String?, sweRexVersion: String?
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
    }
}
