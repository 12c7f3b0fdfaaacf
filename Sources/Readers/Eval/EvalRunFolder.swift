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

    /// The SWE-bench harness's `run.json` in the run folder: what the run graded against.
    public struct RunMetadata: Sendable, Hashable {
        public var path: String
        public var dataset: String?
        public var split: String?
        public var taskRepo: String?
        /// ISO 8601, as the harness wrote it (`2026-08-18T23:53:11+00:00`).
        public var createdAt: String?

        public init(path: String, dataset: String?, split: String?, taskRepo: String?, createdAt: String?) {
            self.path = path
            self.dataset = dataset
            self.split = split
            self.taskRepo = taskRepo
            self.createdAt = createdAt
        }
    }

    public var path: String
    /// `run.json`, when the harness wrote one (SWE-bench after #586's release; nil for SWE-smith).
    public var runMetadata: RunMetadata?
    /// The run report's file name the SWE-bench harness would have written for each model folder
    /// (`<model>.<run_id>.json`) but that was neither given nor found next to the run.
    public var runReportsNotFound: [String] = []
    /// Instance reports that are SWE-smith validation reports (`logs/run_validation/`), not verdicts.
    public var validationReports = 0
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
    /// `report` is the run report's path when the caller knows it (`ingest eval --report`); it is read instead
    /// of looking for one.
    public static func scan(_ path: String, report: String? = nil) throws(ReadError) -> EvalRunFolder {
        try EvalRunScanner(path: path, report: report).scan()
    }
}
