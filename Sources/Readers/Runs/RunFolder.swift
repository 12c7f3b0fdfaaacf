public import SmithJSON

/// A SWE-agent run-batch output folder (`trajectories/<user>/<run>/`), as found on disk.
///
/// Only the small files are read; trajectories are listed, not parsed (use `TrajectoryReader` on each).
/// Problems with the auxiliary files (config, exit statuses, predictions) do not stop the listing: they are
/// collected in `problems` so a caller can still ingest the trajectories and report what was wrong.
public struct RunFolder: Sendable, Hashable {
    /// How trajectories are laid out.
    public enum Layout: String, Sendable, Hashable {
        /// SWE-agent 1.x: `<instance>/<instance>.traj`.
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

        public init(instanceId: String, path: String, patchPath: String? = nil) {
            self.instanceId = instanceId
            self.path = path
            self.patchPath = patchPath
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
    public var exitStatusesPath: String?
    public var exitStatuses: ExitStatuses?
    /// `preds.json` (1.x) or `all_preds.jsonl` (pre-1.0), when present. When neither is there, `predictions`
    /// holds what the per-instance `<instance>.pred` files say and this is `nil`.
    public var predictionsPath: String?
    public var predictions: [Prediction]?
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
