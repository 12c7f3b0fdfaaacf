/// The reports of one evaluation run folder, `logs/run_evaluation/<run_id>/`, in either tool's layout.
///
/// `scan` reads every per-instance report it finds; a report that cannot be read goes to `errors` (with its
/// path) instead of stopping the scan, so a caller can skip it and count it.
public struct EvalRunFolder: Sendable, Hashable {
    public enum Layout: String, Sendable, Hashable {
        /// `swesmith.harness.eval`: `<run_id>/<instance_id>/report.json`, summary `<run_id>/report.json`.
        case sweSmith = "swe-smith"
        /// SWE-bench harness: `<run_id>/<model>/<instance_id>/report.json`, run report
        /// `<model>.<run_id>.json` in the folder the harness ran from.
        case sweBench = "swe-bench"
    }

    /// One per-instance report that was read.
    public struct InstanceReport: Sendable, Hashable {
        public var instanceId: String
        public var path: String
        /// The model folder (SWE-bench layout: `model_name_or_path` with `/` written `__`).
        public var model: String?
        public var verdict: InstanceVerdict

        public init(instanceId: String, path: String, model: String? = nil, verdict: InstanceVerdict) {
            self.instanceId = instanceId
            self.path = path
            self.model = model
            self.verdict = verdict
        }
    }

    /// A run summary file that was read.
    public struct SummaryFile: Sendable, Hashable {
        public var path: String
        /// For SWE-bench run reports, the model the report is for.
        public var model: String?
        public var summary: EvalRunSummary

        public init(path: String, model: String? = nil, summary: EvalRunSummary) {
            self.path = path
            self.model = model
            self.summary = summary
        }
    }

    public var path: String
    /// The folder's name, which both tools set to the run id.
    public var runId: String
    public var layout: Layout
    /// Sorted by instance id, then model.
    public var instances: [InstanceReport]
    /// Instance folders holding logs but no `report.json` (the harness could not grade them), sorted.
    public var instancesWithoutReport: [String]
    /// Summaries found for this run (usually one).
    public var summaries: [SummaryFile]
    /// Files that could not be read; each names its file.
    public var errors: [ReadError]

    /// The first summary, for the common single-model run.
    public var summary: EvalRunSummary? { summaries.first?.summary }

    public init(
        path: String, runId: String, layout: Layout, instances: [InstanceReport] = [],
        instancesWithoutReport: [String] = [], summaries: [SummaryFile] = [], errors: [ReadError] = []
    ) {
        self.path = path
        self.runId = runId
        self.layout = layout
        self.instances = instances
        self.instancesWithoutReport = instancesWithoutReport
        self.summaries = summaries
        self.errors = errors
    }

    /// Scans the run folder at `path`.
    ///
    /// Throws `ReadError` only when the folder itself is unusable: missing, a file, empty, or holding neither
    /// instance reports nor a summary ("not an evaluation run"). For SWE-bench layouts the run report
    /// `<model>.<run_id>.json` is looked for in the run folder and up to three folders above it.
    public static func scan(_ path: String) throws(ReadError) -> EvalRunFolder {
        try EvalRunScanner(path: path).scan()
    }
}
