import SmithReaders
import Testing

@Suite("EvalReportReader")
struct EvalReportReaderTests {
    static let sweSmithReport = "swe-smith/run_evaluation/pandas-dev__pandas.95280573.pr_53856/report.json"

    @Test("SWE-smith per-instance report: flat, id from its folder")
    func sweSmithInstanceReport() throws {
        let verdict = try EvalReportReader.readInstanceReport(atPath: Fixtures.path(Self.sweSmithReport))
        #expect(verdict.instanceId == "pandas-dev__pandas.95280573.pr_53856")
        #expect(verdict.layout == .flat)
        #expect(!verdict.resolved && !verdict.patchIsNone && verdict.patchExists && !verdict.patchApplied)
        #expect(!verdict.timedOut && verdict.hasTestsStatus)
        #expect(verdict.f2pSuccess == 0 && verdict.f2pFailure == 28)
        #expect(verdict.p2pSuccess == 595 && verdict.p2pFailure == 0)
        #expect(verdict.f2fSuccess == 0 && verdict.p2fFailure == 0)
        #expect(verdict.modelNameOrPath == "swesmith_gen__claude-3.7__t-0.00_p-1.00__c.2.00__exp9__ig_orig")
    }

    @Test("SWE-bench per-instance reports in the flat form, id from <id>.report.json")
    func sweBenchFlatReports() throws {
        let resolved = try EvalReportReader.readInstanceReport(
            atPath: Fixtures.path("swe-bench/astropy__astropy-12907.report.json"))
        #expect(resolved.instanceId == "astropy__astropy-12907")
        #expect(resolved.resolved && resolved.patchApplied)
        #expect(resolved.f2pSuccess == 2 && resolved.f2pFailure == 0 && resolved.p2pSuccess == 13)
        let unresolved = try EvalReportReader.readInstanceReport(
            atPath: Fixtures.path("swe-bench/astropy__astropy-13033.report.json"))
        #expect(!unresolved.resolved)
        #expect(unresolved.f2pFailure == 1 && unresolved.p2pSuccess == 19 && unresolved.p2pFailure == 1)
    }

    @Test("SWE-bench nested form {\"<id>\": report} names its own instance")
    func nestedReport() throws {
        let dir = TempDir()
        let flat = readBytes(Fixtures.path("swe-bench/astropy__astropy-12907.report.json"))
        let nested = Array(#"{"astropy__astropy-12907": "#.utf8) + flat + Array("}".utf8)
        let path = dir.write("somewhere/report.json", nested)
        let verdict = try EvalReportReader.readInstanceReport(atPath: path)
        #expect(verdict.instanceId == "astropy__astropy-12907")
        #expect(verdict.layout == .nestedUnderInstanceId)
        #expect(verdict.resolved && verdict.f2pSuccess == 2)
    }

    @Test("a timed-out SWE-smith instance")
    func timedOut() throws {
        let dir = TempDir()
        let path = dir.write(
            "run/owner__repo.12345678.pr_1/report.json", "{\n    \"timed_out\": true,\n    \"timeout\": 240\n}")
        let verdict = try EvalReportReader.readInstanceReport(atPath: path)
        #expect(verdict.instanceId == "owner__repo.12345678.pr_1")
        #expect(verdict.timedOut && verdict.timeout == 240 && !verdict.resolved && !verdict.hasTestsStatus)
    }

    @Test("a report without tests_status (patch was None)")
    func patchNone() throws {
        let dir = TempDir()
        let path = dir.write(
            "x/report.json",
            #"{"patch_is_None": true, "patch_exists": false, "patch_successfully_applied": false, "resolved": false}"#)
        let verdict = try EvalReportReader.readInstanceReport(atPath: path)
        #expect(verdict.patchIsNone && !verdict.hasTestsStatus && verdict.f2pFailure == 0)
    }

    @Test("SWE-bench harness run report (schema_version 2)")
    func sweBenchRunReport() throws {
        let summary = try EvalReportReader.readSummary(
            atPath: Fixtures.path("swe-bench/keng_1.5_ultra.lite.results.json"))
        #expect(summary.kind == .sweBenchRun)
        #expect(summary.total == 300 && summary.submitted == 300 && summary.completed == 66)
        #expect(summary.resolved == 66 && summary.unresolved == 0 && summary.errors == 234 && summary.emptyPatch == 0)
        #expect(summary.schemaVersion == 2)
        #expect(summary.resolvedIds.count == 66 && summary.errorIds.count == 234 && summary.submittedIds.count == 300)
        #expect(summary.resolvedIds.first == "astropy__astropy-12907")
    }

    @Test("leaderboard run reports agree with the resolved % the site claims")
    func leaderboardReports() throws {
        let claimed = try JSONFile.object(Fixtures.path("leaderboard/verified/claimed.json"))
        #expect(claimed.count == 9)
        for (name, entry) in claimed {
            let summary = try EvalReportReader.readSummary(
                atPath: Fixtures.path("leaderboard/verified/\(name).verified.json"))
            let percent = try #require(entry["resolved_pct"]?.doubleValue)
            #expect(summary.kind == .sweBenchRun)
            #expect(summary.total == 500)
            #expect(abs(Double(summary.resolved) / Double(summary.total) * 100 - percent) < 1e-9, "\(name)")
            #expect(summary.resolvedIds.count == summary.resolved)
        }
    }

    @Test("SWE-smith summary report")
    func sweSmithSummary() throws {
        let dir = TempDir()
        let path = dir.write(
            "run/report.json",
            #"{"resolved": 1, "unresolved": 2, "total": 4, "ids_resolved": ["a"], "ids_unresolved": ["b", "c"]}"#)
        let summary = try EvalReportReader.readSummary(atPath: path)
        #expect(summary.kind == .sweSmith)
        #expect(summary.total == 4 && summary.resolved == 1 && summary.unresolved == 2)
        #expect(summary.resolvedIds == ["a"] && summary.unresolvedIds == ["b", "c"])
        #expect(summary.submitted == nil)
    }

    @Test("sb-cli report")
    func sbCliReport() throws {
        let dir = TempDir()
        let path = dir.write(
            "sb-cli-reports/swe-bench_verified__test__run1.json",
            """
            {"total_instances": 500, "submitted_instances": 2, "completed_instances": 2, "resolved_instances": 1,
             "unresolved_instances": 1, "empty_patch_instances": 0, "error_instances": 0, "pending_instances": 0,
             "failed_instances": 0, "resolved_ids": ["a"], "unresolved_ids": ["b"]}
            """)
        let summary = try EvalReportReader.readSummary(atPath: path)
        #expect(summary.kind == .sbCli)
        #expect(summary.total == 500 && summary.submitted == 2 && summary.pending == 0 && summary.failed == 0)
        #expect(summary.resolvedIds == ["a"])
    }

    @Test("wrong shapes are ReadErrors with JSON paths")
    func wrongShapes() {
        let dir = TempDir()
        let instanceCases: [(String, String, String)] = [
            (
                #"{"patch_is_None": false, "patch_exists": true, "patch_successfully_applied": true}"#,
                "$.resolved", "missing required key \"resolved\""
            ),
            (
                #"{"patch_is_None": false, "patch_exists": true, "patch_successfully_applied": true, "#
                    + #""resolved": "yes"}"#,
                "$.resolved", #"expected a boolean, found "yes""#
            ),
            (
                #"{"patch_is_None": 0, "patch_exists": true, "patch_successfully_applied": true, "resolved": true}"#,
                "$.patch_is_None", "expected a boolean, found the number 0"
            ),
            (
                #"{"a__b-1": {"resolved": true, "patch_is_None": false, "patch_exists": true, "#
                    + #""patch_successfully_applied": true, "tests_status": {"FAIL_TO_PASS": {"success": 3, "#
                    + #""failure": []}}}}"#,
                "$['a__b-1'].tests_status.FAIL_TO_PASS.success", "expected an array of strings, found the number 3"
            ),
            (#"{"x": 1, "y": 2}"#, "$", "expected an evaluation report"),
            (#"[]"#, "$", "expected an evaluation report (a JSON object), found an array of 0 items"),
        ]
        for (i, (json, jsonPath, message)) in instanceCases.enumerated() {
            let path = dir.write("i\(i)/report.json", json)
            let error = #expect(throws: ReadError.self) { try EvalReportReader.readInstanceReport(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.jsonPath == jsonPath, "\(json)")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
        let summaryCases: [(String, String, String)] = [
            (#"{"total_instances": "many", "resolved_instances": 1}"#, "$.total_instances", "expected an integer"),
            (
                #"{"resolved": 1, "total": 2, "ids_resolved": [1]}"#, "$.ids_resolved[0]",
                "expected a string, found the number 1"
            ),
            (#"{"resolved": true, "patch_is_None": false}"#, "$", "per-instance report"),
        ]
        for (i, (json, jsonPath, message)) in summaryCases.enumerated() {
            let path = dir.write("s\(i).json", json)
            let error = #expect(throws: ReadError.self) { try EvalReportReader.readSummary(atPath: path) }
            #expect(error?.jsonPath == jsonPath, "\(json)")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}
