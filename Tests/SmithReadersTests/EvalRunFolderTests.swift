import SmithReaders
import Testing

@Suite("EvalRunFolder")
struct EvalRunFolderTests {
    @Test("SWE-smith layout: the fixture run folder")
    func sweSmithFixture() throws {
        let run = try EvalRunFolder.scan(Fixtures.path("swe-smith/run_evaluation"))
        #expect(run.layout == .sweSmith)
        #expect(run.runId == "run_evaluation")
        #expect(run.instances.map(\.instanceId) == ["pandas-dev__pandas.95280573.pr_53856"])
        #expect(run.instances.first?.path.hasSuffix("pandas-dev__pandas.95280573.pr_53856/report.json") == true)
        #expect(run.instances.first?.verdict.f2pFailure == 28)
        #expect(run.summaries.isEmpty && run.errors.isEmpty)
    }

    @Test("SWE-bench harness run: run.json, the run report three folders up, infra failures and their reasons")
    func harnessRunWithInfraFailures() throws {
        let run = try EvalRunFolder.scan(Fixtures.path("swe-bench/harness-run/logs/run_evaluation/infra-demo"))
        #expect(run.layout == .sweBench)
        #expect(run.runMetadata?.dataset == "SWE-bench/SWE-bench_Lite")
        #expect(run.runMetadata?.split == "test")
        #expect(run.runMetadata?.taskRepo == nil)
        #expect(run.runMetadata?.createdAt == "2026-08-19T10:04:31+00:00")
        #expect(run.runReportsNotFound.isEmpty)
        let summary = try #require(run.summaries.first?.summary)
        #expect(summary.infraFailureIds == ["django__django-11099", "django__django-11133"])
        #expect(summary.ambiguousFailureIds == ["sympy__sympy-20590"])
        #expect(summary.failureReasons["django__django-11133"] == "out_of_memory")
        let infra = run.instances.first { $0.instanceId == "django__django-11099" }?.verdict
        #expect(infra?.infraFailure == true)
        #expect(infra?.infraFailureReason == "container_unavailable")
        #expect(run.instances.filter(\.verdict.infraFailure).count == 1)
        #expect(run.instancesWithoutReport == ["django__django-11133"])
    }

    @Test("SWE-smith's run_validation reports are counted as such, not read as verdicts")
    func validationReports() throws {
        let run = try EvalRunFolder.scan(Fixtures.path("swe-smith/run_validation/pandas-dev__pandas.95280573"))
        #expect(run.instances.isEmpty)
        #expect(run.validationReports == 1)
        #expect(run.errors.first?.message.contains("validation report") == true)
    }

    @Test("SWE-smith layout with a summary, a bad report and an instance without a report")
    func sweSmithLayout() throws {
        let dir = TempDir()
        let run = "logs/run_evaluation/run9"
        dir.copy(fixture: EvalReportReaderTests.sweSmithReport, to: "\(run)/b__r.12345678.pr_2/report.json")
        dir.copy(fixture: "swe-bench/astropy__astropy-12907.report.json", to: "\(run)/a__r.12345678.pr_1/report.json")
        let bad = dir.write("\(run)/c__r.12345678.pr_3/report.json", #"{"resolved": "#)
        dir.write("\(run)/d__r.12345678.pr_4/run_instance.log", "log\n")
        dir.write(
            "\(run)/report.json",
            #"{"resolved": 1, "unresolved": 1, "total": 4, "ids_resolved": ["a__r.12345678.pr_1"], "#
                + #""ids_unresolved": ["b__r.12345678.pr_2"]}"#
        )
        let scanned = try EvalRunFolder.scan(dir.path + "/" + run)
        #expect(scanned.layout == .sweSmith)
        #expect(scanned.runId == "run9")
        #expect(scanned.instances.map(\.instanceId) == ["a__r.12345678.pr_1", "b__r.12345678.pr_2"])
        #expect(scanned.instances.map(\.verdict.resolved) == [true, false])
        #expect(scanned.instancesWithoutReport == ["d__r.12345678.pr_4"])
        #expect(scanned.errors.count == 1)
        #expect(scanned.errors.first?.path == bad)
        #expect(scanned.summary?.kind == .sweSmith && scanned.summary?.total == 4)
    }

    @Test("SWE-bench layout: <run>/<model>/<instance>/report.json and <model>.<run>.json above logs/")
    func sweBenchLayout() throws {
        let dir = TempDir()
        let run = "logs/run_evaluation/lite1"
        dir.copy(
            fixture: "swe-bench/astropy__astropy-13033.report.json",
            to: "\(run)/my__model/astropy__astropy-13033/report.json")
        dir.copy(
            fixture: "swe-bench/astropy__astropy-12907.report.json",
            to: "\(run)/my__model/astropy__astropy-12907/report.json")
        dir.write("\(run)/my__model/astropy__astropy-14182/run_instance.log", "error\n")
        let runReport = dir.copy(fixture: "swe-bench/keng_1.5_ultra.lite.results.json", to: "my__model.lite1.json")
        let scanned = try EvalRunFolder.scan(dir.path + "/" + run)
        #expect(scanned.layout == .sweBench)
        #expect(scanned.instances.map(\.instanceId) == ["astropy__astropy-12907", "astropy__astropy-13033"])
        #expect(scanned.instances.allSatisfy { $0.model == "my__model" })
        #expect(scanned.instancesWithoutReport == ["astropy__astropy-14182"])
        #expect(scanned.summaries.count == 1)
        #expect(scanned.summaries.first?.path.hasSuffix("my__model.lite1.json") == true)
        #expect(scanned.summaries.first?.model == "my__model")
        #expect(scanned.summary?.kind == .sweBenchRun && scanned.summary?.total == 300)
        _ = runReport
    }

    @Test("folders that are not runs are ReadErrors")
    func notARun() {
        let dir = TempDir()
        dir.write("empty/.hidden", "")
        dir.write("other/notes.txt", "hello")
        dir.write("afile.json", "{}")
        for (path, message) in [
            (dir.path + "/empty", "empty folder"), (dir.path + "/other", "not an evaluation run"),
            (dir.path + "/afile.json", "found a file"), (dir.path + "/missing", "found nothing"),
        ] {
            let error = #expect(throws: ReadError.self) { try EvalRunFolder.scan(path) }
            #expect(error?.path == path)
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}
