/// What kind of outcome a verdict is, so that a broken environment is not counted as a model failure.
///
/// `infra`: the harness classed the failure as the environment's (SWE-bench's `infra_failure` /
/// `infra_failure_ids`); `error`: the evaluation did not produce a test result (timed out, the patch did not
/// apply, or the run report lists it in `error_ids`); `missing`: there was no patch to evaluate (`patch_is_None`,
/// an empty patch); `unresolved`: the tests ran and did not pass; `resolved`: they passed.
public enum VerdictKind: String, Sendable, Hashable, CaseIterable {
    case resolved
    case unresolved
    case error
    case infra
    case missing

    /// The kind a report's own fields imply, without the run report's lists.
    public static func derived(resolved: Bool, timedOut: Bool, patchExists: Bool?, patchApplied: Bool?) -> Self {
        if resolved { return .resolved }
        if timedOut { return .error }
        if patchExists == false { return .missing }
        if patchApplied == false { return .error }
        return .unresolved
    }
}
