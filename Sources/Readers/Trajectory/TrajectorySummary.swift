public import SmithJSON

/// What a trajectory file (SWE-agent `.traj`, mini-swe-agent `.traj.json`) says about one agent run, without
/// the conversation itself.
///
/// Read by `TrajectoryReader`. Fields the file's agent version did not write are `nil`. For mini-swe-agent
/// files the same fields hold the same facts: `stepCount` is the number of assistant messages (one per model
/// call and action), `historyCount` the number of messages.
public struct TrajectorySummary: Sendable, Hashable {
    /// The task instance: `info.instance_id` if present, else the file name without `.traj`, else
    /// the `environment` name.
    public var instanceId: String
    public var format: TrajectoryFormat
    /// `info.exit_status`, e.g. `submitted`, `exit_cost`, `exit_context`, `exit_error`.
    public var exitStatus: String?
    /// The patch the agent submitted (`info.submission`); `nil` when none or when it is not a string.
    public var submission: String?
    public var modelStats: ModelStats
    /// Number of entries in `trajectory` (0 for history-only files).
    public var stepCount: Int
    /// Number of entries in `history`, or `nil` when the file has none.
    public var historyCount: Int?
    public var sweAgentVersion: String?
    public var sweAgentHash: String?
    public var sweRexVersion: String?
    public var sweRexHash: String?
    /// `info.edited_files30/50/70`: the edited files' text with 30/50/70 lines of context, when written.
    public var editedFiles30: String?
    public var editedFiles50: String?
    public var editedFiles70: String?
    /// The run configuration to replay this trajectory, parsed: it is a JSON string in most versions and an
    /// object in some; `nil` when absent.
    public var replayConfig: JSONValue?
    /// The top-level `environment` name (the instance id in 1.x runs, `swe_main` / `main` before).
    public var environment: String?
    /// The whole `info` object as written, for fields this summary does not lift out (review, summarizer).
    public var info: JSONValue?
    /// `info.mini_version` of a mini-swe-agent trajectory.
    public var miniVersion: String?
    /// The model the agent ran: `agent.model.name` (or `model_name`) of a SWE-agent `replay_config`,
    /// `info.config.model.model_name` of a mini-swe-agent trajectory; `nil` when the file does not say.
    public var modelName: String?

    /// The agent that wrote the file.
    public var scaffold: Scaffold { format.scaffold }

    /// The version of that agent: `info.swe_agent_version` or `info.mini_version`.
    public var agentVersion: String? { sweAgentVersion ?? miniVersion }

    public init(
        instanceId: String, format: TrajectoryFormat, exitStatus: String? = nil, submission: String? = nil,
        modelStats: ModelStats = ModelStats(), stepCount: Int = 0, historyCount: Int? = nil,
        sweAgentVersion: String? = nil, sweAgentHash: String? = nil, sweRexVersion: String? = nil,
        sweRexHash: String? = nil, editedFiles30: String? = nil, editedFiles50: String? = nil,
        editedFiles70: String? = nil, replayConfig: JSONValue? = nil, environment: String? = nil,
        info: JSONValue? = nil
    ) {
        self.instanceId = instanceId
        self.format = format
        self.exitStatus = exitStatus
        self.submission = submission
        self.modelStats = modelStats
        self.stepCount = stepCount
        self.historyCount = historyCount
        self.sweAgentVersion = sweAgentVersion
        self.sweAgentHash = sweAgentHash
        self.sweRexVersion = sweRexVersion
        self.sweRexHash = sweRexHash
        self.editedFiles30 = editedFiles30
        self.editedFiles50 = editedFiles50
        self.editedFiles70 = editedFiles70
        self.replayConfig = replayConfig
        self.environment = environment
        self.info = info
    }
}
