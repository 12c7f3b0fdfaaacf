internal import SmithJSON

/// Turns a parsed run report of any of the three tools into an `EvalRunSummary`.
enum RunSummaryParser {
    static func summary(from value: JSONValue, file: String) throws(ReadError) -> EvalRunSummary {
        let top = try ObjectFields(value, file: file, what: "a run report (a JSON object)")
        if top.has("pending_instances") || top.has("failed_instances") { return try sweBench(top, kind: .sbCli) }
        if top.has("total_instances") { return try sweBench(top, kind: .sweBenchRun) }
        if top.has("ids_resolved") || (top.has("resolved") && top.has("total")) { return try sweSmith(top) }
        let hint =
            top.has("patch_is_None") || top.has("tests_status") || top.has("timed_out")
            ? " (this is a per-instance report, not a run summary)" : ""
        throw ReadError(
            path: file, jsonPath: "$",
            message: "expected a run report (SWE-smith: resolved, total, ids_resolved; SWE-bench or sb-cli: "
                + "total_instances, resolved_instances, ...), found keys \(InstanceReportParser.keyList(top))\(hint)")
    }

    /// `swesmith.harness.eval`: `{resolved, unresolved, total, ids_resolved, ids_unresolved}`.
    private static func sweSmith(_ top: ObjectFields) throws(ReadError) -> EvalRunSummary {
        EvalRunSummary(
            kind: .sweSmith,
            total: try top.int("total"),
            resolved: try top.int("resolved"),
            unresolved: try top.optionalInt("unresolved"),
            resolvedIds: try top.stringArray("ids_resolved"),
            unresolvedIds: try top.optionalStringArray("ids_unresolved") ?? [])
    }

    /// The SWE-bench harness's `make_run_report` (schema_version 2), and sb-cli's report, which adds
    /// `pending_instances` and `failed_instances` (see sb_cli/get_report.py).
    private static func sweBench(_ top: ObjectFields, kind: EvalRunSummary.Kind) throws(ReadError) -> EvalRunSummary {
        var summary = try sweBenchCounts(top, kind: kind)
        summary.infraFailureIds = try top.optionalStringArray("infra_failure_ids") ?? []
        summary.ambiguousFailureIds = try top.optionalStringArray("ambiguous_failure_ids") ?? []
        if let reasons = try top.optionalObject("failure_reasons") {
            for key in reasons.keys {
                if let reason = try reasons.optionalString(key) { summary.failureReasons[key] = reason }
            }
        }
        return summary
    }

    private static func sweBenchCounts(
        _ top: ObjectFields, kind: EvalRunSummary.Kind
    ) throws(ReadError) -> EvalRunSummary {
        EvalRunSummary(
            kind: kind,
            total: try top.int("total_instances"),
            resolved: try top.int("resolved_instances"),
            unresolved: try top.optionalInt("unresolved_instances"),
            submitted: try top.optionalInt("submitted_instances"),
            completed: try top.optionalInt("completed_instances"),
            errors: try top.optionalInt("error_instances"),
            emptyPatch: try top.optionalInt("empty_patch_instances"),
            incomplete: try top.optionalInt("incomplete_instances"),
            pending: try top.optionalInt("pending_instances"),
            failed: try top.optionalInt("failed_instances"),
            schemaVersion: try top.optionalInt("schema_version"),
            resolvedIds: try top.optionalStringArray("resolved_ids") ?? [],
            unresolvedIds: try top.optionalStringArray("unresolved_ids") ?? [],
            errorIds: try top.optionalStringArray("error_ids") ?? [],
            emptyPatchIds: try top.optionalStringArray("empty_patch_ids") ?? [],
            incompleteIds: try top.optionalStringArray("incomplete_ids") ?? [],
            completedIds: try top.optionalStringArray("completed_ids") ?? [],
            submittedIds: try top.optionalStringArray("submitted_ids") ?? [])
    }
}
