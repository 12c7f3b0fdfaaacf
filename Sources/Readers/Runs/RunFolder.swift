public import SmithJSON

/// A SWE-agent run-batch output folder (`trajectories/<user>/<run>/`) or a mini-swe-agent batch output folder
/// (`<out>/<id>/<id>.traj.json`, `preds.json`, `exit_statuses_<unix time>.yaml`), as found on disk.
///
/// Only the small files are read; trajectories are listed, not parsed (use `TrajectoryReader` on each).
/// Problems with the auxiliary files (config, exit statuses, predictions) do not stop the listing: they are
/// collected in `problems` so a caller can still ingest the trajectories and report what was wrong.
public struct RunFolder: Sendable, Hashable {
    /// How trajectories are laid out.
    public enum Layout: String, Sendable, Hashable {
        /// SWE-agent 1.x: `<instance>/<instance>.traj`; mini-swe-agent: `<instance>/<instance>.traj.json`.
        case perInstanceFolders = "per-instance"
        /// SWE-agent before 1.0: `<instance>.traj` directly in the run folder.
        case flat
    }

    /// One trajectory file of the run.
    public struct TrajectoryFile: Sendable, Hashable {
        public var instanceId: String
        public var path: String
        /// `<instance>.patch` next to the trajectory, or in `patches/` (pre-1.0), when present.
        public var patchPath: String?
        /// Its place (0, 1, ...) among the run's trajectories in the order the file system listed the run
        /// folder (`readdir`, what SWE-smith's `transform_to_ft` iterates); `nil` when not listed.
        public var listingPosition: Int?

        public init(instanceId: String, path: String, patchPath: String? = nil, listingPosition: Int? = nil) {
            self.instanceId = instanceId
            self.path = path
            self.patchPath = patchPath
            self.listingPosition = listingPosition
        }
    }

    public var path: String
    /// The run folder's name, which SWE-agent derives from config, model and costs.
    public var name: String
    public var layout: Layout
    /// Sorted by instance id.
    public var trajectories: [TrajectoryFile]
    /// `run_batch.config.yaml` (1.x) or `args.yaml` (pre-1.0), when present.
    public var configPath: String?
    /// The run configuration, key order kept. SWE-agent 1.x writes it as YAML holding one JSON string; that
    /// string is parsed, so this is always the configuration object itself.
    public var config: JSONValue?
    /// `agent.model.name` (1.x) or `agent.model.model_name` (pre-1.0).
    public var modelName: String?
    /// `run_batch_exit_statuses.yaml` (SWE-agent), or the newest `exit_statuses_<unix time>.yaml`
    /// (mini-swe-agent).
    public var exitStatusesPath: String?
    /// Every exit-status file read, oldest first (mini-swe-agent writes one per invocation).
    public var exitStatusesPaths: [String] = []
    /// The exit statuses; for mini-swe-agent, merged over its files: a later file supersedes an earlier one
    /// for the instances it names.
    public var exitStatuses: ExitStatuses?
    /// The scaffold the file names say wrote the run: `.traj.json` files are mini-swe-agent's.
    public var scaffold: Scaffold = .sweAgent
    /// `preds.json` (1.x) or `all_preds.jsonl` (pre-1.0), when present. When neither is there, `predictions`
    /// holds what the per-instance `<instance>.pred` files say and this is `nil`.
    public var predictionsPath: String?
    public var predictions: [Prediction]?
    /// Whether the predictions were read, every one of them, by a `RunFolderReader.read` given `eachPrediction`:
    /// they went to it one by one and `predictions` stays nil. False when there were none or they failed to read.
    public var predictionsHandedOut = false
    /// Auxiliary files that could not be read.
    public var problems: [ReadError]

    public init(
        path: String, name: String, layout: Layout, trajectories: [TrajectoryFile], configPath: String? = nil,
        config: JSONValue? = nil, modelName: String? = nil, exitStatusesPath: String? = nil,
        exitStatuses: ExitStatuses? = nil, predictionsPath: String? = nil, predictions: [Prediction]? = nil,
        problems: [ReadError] = []
    ) {
        self.path = path
        self.name = name
        self.layout = layout
        self.trajectories = trajectories
        self.configPath = configPath
        self.config = config
        self.modelName = modelName
        self.exitStatusesPath = exitStatusesPath
        self.exitStatuses = exitStatuses
        self.predictionsPath = predictionsPath
        self.predictions = predictions
        self.problems = problems
    }
}
