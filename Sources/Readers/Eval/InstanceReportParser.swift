internal import SmithJSON

/// Turns a parsed per-instance report into an `InstanceVerdict`.
enum InstanceReportParser {
    static let reportKeys = ["patch_is_None", "patch_exists", "patch_successfully_applied", "resolved"]

    static func verdict(from value: JSONValue, file: String, instanceId: String) throws(ReadError) -> InstanceVerdict {
        let top = try ObjectFields(value, file: file, what: "an evaluation report (a JSON object)")
        if isReport(top) { return try flat(top, instanceId: instanceId, layout: .flat) }
        // SWE-bench: {"<instance_id>": {...report...}}.
        if top.pairs.count == 1, let (key, inner) = top.pairs.first, case .object = inner {
            let fields = try ObjectFields(inner, path: JSONPath.root.key(key), file: file)
            guard isReport(fields) else {
                throw ReadError(
                    path: file, jsonPath: fields.path.text,
                    message: "expected an evaluation report (\(reportKeys.joined(separator: ", "))), found keys "
                        + keyList(fields))
            }
            return try flat(fields, instanceId: key, layout: .nestedUnderInstanceId)
        }
        if isValidationReport(top) {
            throw ReadError(path: file, jsonPath: "$", message: validationReportMessage)
        }
        throw ReadError(
            path: file, jsonPath: "$",
            message: "expected an evaluation report (\(reportKeys.joined(separator: ", "))) or {\"<instance_id>\": "
                + "report}, found keys " + keyList(top))
    }

    /// What a SWE-smith `run_validation` report is called in errors (`EvalRunScanner` counts them by it).
    static let validationReportMessage =
        "expected an evaluation report, found a SWE-smith validation report (FAIL_TO_PASS, PASS_TO_PASS, "
        + "FAIL_TO_FAIL, PASS_TO_FAIL lists written by swesmith.harness.valid)"

    /// `swesmith.harness.valid`'s report: the four test-transition lists and nothing else.
    static func isValidationReport(_ fields: ObjectFields) -> Bool {
        fields.has("FAIL_TO_PASS") && fields.has("PASS_TO_PASS") && !reportKeys.contains(where: fields.has)
    }

    static func keyList(_ fields: ObjectFields) -> String {
        fields.keys.isEmpty ? "none" : fields.keys.prefix(8).joined(separator: ", ")
    }

    private static func isReport(_ fields: ObjectFields) -> Bool {
        fields.has("timed_out") || reportKeys.contains(where: fields.has) || fields.has("tests_status")
    }

    private static func flat(
        _ fields: ObjectFields, instanceId: String, layout: InstanceVerdict.Layout
    ) throws(ReadError) -> InstanceVerdict {
        var verdict = InstanceVerdict(instanceId: instanceId, layout: layout)
        verdict.modelNameOrPath = try fields.optionalString("model_name_or_path")
        verdict.infraFailure = try fields.optionalBool("infra_failure") ?? false
        verdict.infraFailureReason = try fields.optionalString("infra_failure_reason")
        // SWE-smith writes {"timed_out": true, "timeout": N} instead of a report when the tests ran too long.
        if try fields.optionalBool("timed_out") == true {
            verdict.timedOut = true
            verdict.timeout = try fields.optionalDouble("timeout")
            return verdict
        }
        verdict.patchIsNone = try fields.bool("patch_is_None")
        verdict.patchExists = try fields.bool("patch_exists")
        verdict.patchApplied = try fields.bool("patch_successfully_applied")
        verdict.resolved = try fields.bool("resolved")
        if let tests = try fields.optionalObject("tests_status") {
            verdict.hasTestsStatus = true
            (verdict.f2pSuccess, verdict.f2pFailure) = try counts(tests, "FAIL_TO_PASS")
            (verdict.p2pSuccess, verdict.p2pFailure) = try counts(tests, "PASS_TO_PASS")
            (verdict.f2fSuccess, verdict.f2fFailure) = try counts(tests, "FAIL_TO_FAIL")
            (verdict.p2fSuccess, verdict.p2fFailure) = try counts(tests, "PASS_TO_FAIL")
        }
        return verdict
    }

    /// `{success: [...], failure: [...]}` → the two counts; a missing group counts as empty.
    private static func counts(_ tests: ObjectFields, _ key: String) throws(ReadError) -> (Int, Int) {
        guard let group = try tests.optionalObject(key) else { return (0, 0) }
        let success = try group.stringArray("success")
        let failure = try group.stringArray("failure")
        return (success.count, failure.count)
    }
}
