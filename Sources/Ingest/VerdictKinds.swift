import SmithDomain
import SmithReaders

/// The kind of each verdict (`VerdictKind`), from its report and the run report's lists.
///
/// SWE-bench's classifier (#586) is advisory: an instance it flags stays in `unresolved_ids` / `error_ids`. Here an
/// environment failure (`infra_failure` in the report, or `infra_failure_ids` in the run report) is the kind
/// `infra`, counted apart from the model's failures; an ambiguous one keeps its kind and records the reason.
struct VerdictKinds {
    var infra: Set<String> = []
    var errors: Set<String> = []
    var reasons: [String: String] = [:]

    init(_ summary: EvalRunSummary?) {
        guard let summary else { return }
        infra = Set(summary.infraFailureIds)
        errors = Set(summary.errorIds)
        reasons = summary.failureReasons
    }

    /// The verdict's kind and the harness's reason for its failure, if it gave one.
    func kind(of v: InstanceVerdict) -> (VerdictKind, String?) {
        let reason = v.infraFailureReason ?? reasons[v.instanceId]
        if v.resolved { return (.resolved, nil) }
        if v.infraFailure || infra.contains(v.instanceId) { return (.infra, reason) }
        let derived = VerdictKind.derived(
            resolved: false, timedOut: v.timedOut, patchExists: v.patchExists, patchApplied: v.patchApplied)
        if derived == .unresolved && errors.contains(v.instanceId) { return (.error, reason) }
        return (derived, reason)
    }
}
