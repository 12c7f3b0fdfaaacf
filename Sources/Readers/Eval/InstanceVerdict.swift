/// The outcome of evaluating one prediction: one per-instance `report.json`.
///
/// Test counts are 0 when the report has no `tests_status` (the patch was missing, did not apply, or the test
/// output was not found); `hasTestsStatus` tells these cases apart from "no tests of that kind".
public struct InstanceVerdict: Sendable, Hashable {
    /// Which of the two report shapes the file had.
    public enum Layout: String, Sendable, Hashable {
        /// SWE-smith (and some SWE-bench copies): the report object at the top level.
        case flat
        /// SWE-bench harness: `{"<instance_id>": {...}}`.
        case nestedUnderInstanceId = "nested"
    }

    public var instanceId: String
    public var layout: Layout
    public var resolved: Bool
    public var patchIsNone: Bool
    public var patchExists: Bool
    /// `patch_successfully_applied`.
    public var patchApplied: Bool
    /// SWE-smith wrote `{"timed_out": true, "timeout": N}` instead of a report.
    public var timedOut: Bool
    /// The time limit in seconds, for timed-out instances.
    public var timeout: Double?
    public var hasTestsStatus: Bool
    public var f2pSuccess: Int
    public var f2pFailure: Int
    public var p2pSuccess: Int
    public var p2pFailure: Int
    public var f2fSuccess: Int
    public var f2fFailure: Int
    public var p2fSuccess: Int
    public var p2fFailure: Int
    /// `model_name_or_path`, which SWE-smith adds to the report.
    public var modelNameOrPath: String?
    /// SWE-bench's `infra_failure`: the test log shows the environment broke (advisory; `resolved` stays false).
    public var infraFailure: Bool = false
    /// SWE-bench's `infra_failure_reason` (`out_of_memory`, `container_unavailable`, ...), when classified.
    public var infraFailureReason: String?

    public init(
        instanceId: String, layout: Layout = .flat, resolved: Bool = false, patchIsNone: Bool = false,
        patchExists: Bool = false, patchApplied: Bool = false, timedOut: Bool = false, timeout: Double? = nil,
        hasTestsStatus: Bool = false, f2pSuccess: Int = 0, f2pFailure: Int = 0, p2pSuccess: Int = 0,
        p2pFailure: Int = 0, f2fSuccess: Int = 0, f2fFailure: Int = 0, p2fSuccess: Int = 0, p2fFailure: Int = 0,
        modelNameOrPath: String? = nil
    ) {
        self.instanceId = instanceId
        self.layout = layout
        self.resolved = resolved
        self.patchIsNone = patchIsNone
        self.patchExists = patchExists
        self.patchApplied = patchApplied
        self.timedOut = timedOut
        self.timeout = timeout
        self.hasTestsStatus = hasTestsStatus
        self.f2pSuccess = f2pSuccess
        self.f2pFailure = f2pFailure
        self.p2pSuccess = p2pSuccess
        self.p2pFailure = p2pFailure
        self.f2fSuccess = f2fSuccess
        self.f2fFailure = f2fFailure
        self.p2fSuccess = p2fSuccess
        self.p2fFailure = p2fFailure
        self.modelNameOrPath = modelNameOrPath
    }
}
