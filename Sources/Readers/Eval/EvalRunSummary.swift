/// A whole evaluation run's result: a SWE-smith summary `report.json`, a SWE-bench harness run report
/// (`<model>.<run_id>.json`, schema_version 2), or an sb-cli report (`<subset>__<split>__<run_id>.json`).
///
/// Counts a format does not have are `nil`; id lists it does not have are empty. For SWE-smith summaries
/// `total` is the number of predictions, `unresolved` counts instances that have a report but are not resolved.
public struct EvalRunSummary: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// `{resolved, unresolved, total, ids_resolved, ids_unresolved}` from `swesmith.harness.eval`.
        case sweSmith = "swe-smith"
        /// `make_run_report` of the SWE-bench harness (`total_instances`, ..., `schema_version`).
        case sweBenchRun = "swe-bench"
        /// `sb-cli get-report`: the SWE-bench counts plus `pending_instances` and `failed_instances`.
        case sbCli = "sb-cli"
    }

    public var kind: Kind
    public var total: Int
    public var resolved: Int
    public var unresolved: Int?
    public var submitted: Int?
    public var completed: Int?
    public var errors: Int?
    public var emptyPatch: Int?
    public var incomplete: Int?
    /// sb-cli only: instances still waiting for evaluation.
    public var pending: Int?
    /// sb-cli only: evaluations that failed to run.
    public var failed: Int?
    public var schemaVersion: Int?
    public var resolvedIds: [String]
    public var unresolvedIds: [String]
    public var errorIds: [String]
    public var emptyPatchIds: [String]
    public var incompleteIds: [String]
    public var completedIds: [String]
    public var submittedIds: [String]
    /// SWE-bench (#586): non-resolved instances whose logs show the environment broke (`infra_failure_ids`).
    public var infraFailureIds: [String] = []
    /// Non-resolved instances whose logs match a signature either side could cause (`ambiguous_failure_ids`).
    public var ambiguousFailureIds: [String] = []
    /// `failure_reasons`: instance id → the classifier's reason (`out_of_memory`, `no_tests_collected`, ...).
    public var failureReasons: [String: String] = [:]

    public init(
        kind: Kind, total: Int, resolved: Int, unresolved: Int? = nil, submitted: Int? = nil, completed: Int? = nil,
        errors: Int? = nil, emptyPatch: Int? = nil, incomplete: Int? = nil, pending: Int? = nil, failed: Int? = nil,
        schemaVersion: Int? = nil, resolvedIds: [String] = [], unresolvedIds: [String] = [], errorIds: [String] = [],
        emptyPatchIds: [String] = [], incompleteIds: [String] = [], completedIds: [String] = [],
        submittedIds: [String] = []
    ) {
        self.kind = kind
        self.total = total
        self.resolved = resolved
        self.unresolved = unresolved
        self.submitted = submitted
        self.completed = completed
        self.errors = errors
        self.emptyPatch = emptyPatch
        self.incomplete = incomplete
        self.pending = pending
        self.failed = failed
        self.schemaVersion = schemaVersion
        self.resolvedIds = resolvedIds
        self.unresolvedIds = unresolvedIds
        self.errorIds = errorIds
        self.emptyPatchIds = emptyPatchIds
        self.incompleteIds = incompleteIds
        self.completedIds = completedIds
        self.submittedIds = submittedIds
    }
}
