import Foundation
import SmithDomain
import SmithJSON
public import SmithProjections
import SmithReaders
public import SmithStore

/// `smithlog bench record`: a SWE-bench harness run report (schema_version 2) or an sb-cli report, as a score.
///
/// The denominator is the benchmark's full size (`BenchmarkCatalog`), as the official leaderboard counts,
/// not the number of instances submitted. The report and the id lists are kept as blobs.
public enum BenchmarkRecord {
    /// What `bench record` was asked: the report file, which benchmark and split it scores, and exactly one of
    /// the model (someone else's) or the checkpoint (one of ours, already recorded) it evaluated.
    public struct Options: Sendable {
        public var report: String
        /// nil: taken from an sb-cli report's file name (`<subset>__<split>__<run_id>.json`).
        public var benchmark: String?
        /// nil: from an sb-cli report's file name when `benchmark` is nil too, else `test`.
        public var split: String?
        public var model: String?
        public var checkpoint: String?
        public var name: String?
        /// Record another report under a recorded name as its next version instead of refusing it.
        public var newVersion: Bool
        /// What the run cost in USD (`--cost`); nil: the sum of the report's per-instance costs, if it has them.
        public var cost: Double?
        /// The trajectory run whose predictions were scored (`--run`, NAME or NAME@N); nil: a recorded run named
        /// like the report's run id, if there is one.
        public var run: String?

        public init(
            report: String, benchmark: String?, split: String?, model: String?, checkpoint: String?,
            name: String?, newVersion: Bool = false, cost: Double? = nil, run: String? = nil
        ) {
            self.run = run
            self.newVersion = newVersion
            self.cost = cost
            self.report = report
            self.benchmark = benchmark
            self.split = split
            self.model = model
            self.checkpoint = checkpoint
            self.name = name
        }
    }

    /// Records one BenchmarkEvaluated, or throws a one-line `IngestError` and records nothing.
    ///
    /// Its cost is `o.cost`, else the sum of the report's per-instance costs (``BenchmarkCost``), else unknown;
    /// the same report recorded again with another cost is the same fact and adds nothing.
    ///
    /// Returns the ingest report, the result's name (default: the report's file name without `.json`) and its
    /// resolved % of the full benchmark.
    /// The same report again under its name adds nothing; another report under a recorded name is refused
    /// unless `newVersion`. The checkpoint is recorded as the version scored, `NAME@N`.
    public static func run(
        _ o: Options, log: EventLog
    ) throws -> (
        report: IngestReport, name: String, resolvedPct: Double
    ) {
        let sbCli = SbCliReportName(path: o.report)
        guard let benchmark = o.benchmark ?? sbCli?.subset else {
            throw IngestError(
                "\(o.report): no --benchmark, and the file is not named <subset>__<split>__<run_id>.json as sb-cli "
                    + "names its reports; pass --benchmark")
        }
        let split = o.split ?? (o.benchmark == nil ? sbCli?.split : nil) ?? "test"
        let total = try BenchmarkCatalog.size(benchmark: benchmark, split: split)
        guard (o.model == nil) != (o.checkpoint == nil) else {
            throw IngestError("give exactly one of --model and --checkpoint")
        }
        var checkpoint: String?
        if let given = o.checkpoint {
            let version = try References.resolve(
                given, .checkpoint, as: CheckpointSaved.self, log: log, option: "--checkpoint")
            checkpoint = version.label(version.head.name)
        }
        let bytes = try FileReading.bytes(o.report)
        let summary = try EvalReportReader.readSummary(atPath: o.report)
        guard summary.kind == .sweBenchRun || summary.kind == .sbCli else {
            throw IngestError(
                "\(o.report): \(English.a(summary.kind.rawValue)) summary, not a SWE-bench run report (schema_version 2) "
                    + "or an sb-cli report")
        }
        if summary.kind == .sweBenchRun, let v = summary.schemaVersion, v != 2 {
            throw IngestError("\(o.report): $.schema_version: expected 2, found \(v)")
        }
        let lists: [(String, [String])] = [
            ("resolved_ids", summary.resolvedIds), ("unresolved_ids", summary.unresolvedIds),
            ("error_ids", summary.errorIds), ("empty_patch_ids", summary.emptyPatchIds),
            ("incomplete_ids", summary.incompleteIds), ("submitted_ids", summary.submittedIds),
        ]
        try checkFits(summary, lists: lists, benchmark: benchmark, split: split, size: total, file: o.report)
        let parsed = try JSONParser.parse(bytes)
        let instanceCosts = try BenchmarkCost.perInstance(parsed, file: o.report)
        let cost = try BenchmarkCost.total(given: o.cost, perInstance: instanceCosts)
        let reportBlob = PreparedBlob(bytes)
        // Per-instance costs join the id lists only when the report has them: other reports' blobs stay as they were.
        var idLists: [(String, JSONValue)] = lists.map { ($0.0, .array($0.1.map(JSONValue.string))) }
        if let instanceCosts {
            idLists.append(("instance_costs", .object(instanceCosts.map { ($0.0, .number(PythonFloat.repr($0.1))) })))
        }
        // Likewise the infra failures (SWE-bench #586), only when the report names some.
        if !summary.infraFailureIds.isEmpty {
            idLists.append(("infra_failure_ids", .array(summary.infraFailureIds.map(JSONValue.string))))
        }
        let infra: Int? =
            parsed["infra_failure_instances"]?.int64Value.map(Int.init)
            ?? (parsed["infra_failure_ids"] == nil ? nil : summary.infraFailureIds.count)
        let responseBlob = try sbCliResponse(o.report)
        let idsBlob = PreparedBlob(PythonJSON.dumpBytes(.object(idLists)))
        let name = o.name ?? defaultName(o.report)
        try log.checkNewName(
            name, .bench, field: o.name == nil ? "the result name taken from the report's file name" : "--name",
            hint: o.name == nil ? "pass --name NAME" : nil)
        var notes: [String] = []
        let ofRun = try scoredRun(o, name: name, sbCli: sbCli, log: log, notes: &notes)
        let evaluated = try BenchmarkEvaluated(
            name: name, benchmark: benchmark, split: split, model: o.model, checkpoint: checkpoint, total: total,
            submitted: summary.submitted ?? summary.submittedIds.count, resolved: summary.resolved,
            unresolved: summary.unresolved ?? summary.unresolvedIds.count,
            error: summary.errors ?? summary.errorIds.count,
            emptyPatch: summary.emptyPatch ?? summary.emptyPatchIds.count,
            incomplete: summary.incomplete ?? summary.incompleteIds.count,
            reportFormat: summary.kind == .sbCli ? "sb-cli" : "swe-bench-v2", report: reportBlob.digest,
            ids: idsBlob.digest, cost: cost, ofRun: ofRun, response: responseBlob?.digest, infra: infra
        ).newEvent()
        let decision = try NameDecision<BenchmarkEvaluated>(
            .bench, name, log: log, newVersion: o.newVersion,
            sameContent: { $0.head.report == reportBlob.digest && $0.head.benchmark == benchmark },
            describe: { v in
                "report sha256 \(shortHash(v.head.report)), \(v.head.benchmark), resolved \(v.head.resolved)/\(v.head.total)"
            })
        let pct = 100 * Double(summary.resolved) / Double(total)
        if decision.existing != nil {
            var report = IngestReport()
            report.alreadyRecorded = 1
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return (report, name, pct)
        }
        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        notes.forEach(batcher.warn)
        try batcher.add([evaluated], blobs: [reportBlob, idsBlob] + (responseBlob.map { [$0] } ?? []))
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        return (report, name, pct)
    }

    /// Kept for callers that still pass projections (the record no longer reads them).
    public static func run(
        _ o: Options, log: EventLog, projections: ProjectionEngine
    ) throws -> (
        report: IngestReport, name: String, resolvedPct: Double
    ) {
        try run(o, log: log)
    }

    /// Refuses a report that cannot be a result on this benchmark: an id of another shape, or more instances
    /// than the benchmark has. Membership of each id cannot be checked: the full id lists are not shipped.
    static func checkFits(
        _ summary: EvalRunSummary, lists: [(String, [String])], benchmark: String, split: String, size: Int,
        file: String
    ) throws {
        for (key, ids) in lists {
            if let bad = ids.first(where: { !BenchmarkCatalog.looksLikeInstanceID($0) }) {
                throw IngestError(
                    "\(file): $.\(key): '\(bad)' is not a SWE-bench instance id (owner__repo-number), so it is not "
                        + "in \(benchmark)")
            }
        }
        let distinct = Set(lists.flatMap(\.1)).count
        let counts: [(String, Int?)] = [
            ("total_instances", summary.total), ("submitted_instances", summary.submitted),
            ("resolved_instances", summary.resolved), ("distinct ids in the id lists", distinct),
        ]
        for (what, count) in counts {
            if let count, count > size {
                throw IngestError(
                    "\(file): \(what) is \(count), but \(benchmark) \(split) has only \(size) instances "
                        + "(is this a report on another benchmark?)")
            }
        }
    }

    /// sb-cli's `<subset>__<split>__<run_id>.response.json` beside the report (get_report.py writes it next to
    /// `<subset>__<split>__<run_id>.json`), as a blob; nil when there is none.
    static func sbCliResponse(_ report: String) throws -> PreparedBlob? {
        let base = FileReading.baseName(report)
        guard base.hasSuffix(".json"), !base.hasSuffix(".response.json") else { return nil }
        let path = String(report.dropLast(5)) + ".response.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try FileReading.bytes(path)
        do {
            _ = try JSONParser.parse(bytes)
        } catch {
            throw IngestError("\(path): expected sb-cli's response (JSON): \(error)")
        }
        return PreparedBlob(bytes)
    }

    /// The trajectory run whose predictions the report scored, as `NAME@N`: `--run`, else a recorded run named
    /// like the report's run id (sb-cli: from its file name; harness: the `<run_id>` of `<model>.<run_id>.json`)
    /// or like the result, said in `notes`; nil when none is recorded.
    static func scoredRun(
        _ o: Options, name: String, sbCli: SbCliReportName?, log: EventLog, notes: inout [String]
    ) throws -> String? {
        if let given = o.run {
            let version = try References.resolve(given, .run, as: RunStarted.self, log: log, option: "--run")
            return version.label(version.head.name)
        }
        var candidates: [String] = []
        if let runId = sbCli?.runId { candidates.append(runId) }
        // `<model>.<run_id>`: the model may hold dots, so every tail after one is a candidate, longest first.
        let stem = defaultName(o.report)
        var rest = Substring(stem)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if !rest.isEmpty { candidates.append(String(rest)) }
        }
        candidates.append(name)
        for candidate in candidates where NameRule.problem(candidate) == nil {
            do {
                let version = try log.resolve(VersionedName(name: candidate), .run, as: RunStarted.self)
                let label = version.label(candidate)
                notes.append("linked to trajectory run '\(label)', named like the report's run id (use --run)")
                return label
            } catch let error as NameError where error.code == .notFound {
                continue
            }
        }
        return nil
    }

    /// `20250726_mini-v1.0.0_gemini-2.5-pro.verified.json` → `20250726_mini-v1.0.0_gemini-2.5-pro.verified`.
    static func defaultName(_ path: String) -> String {
        let base = FileReading.baseName(path)
        return base.hasSuffix(".json") ? String(base.dropLast(5)) : base
    }
}

/// sb-cli's report file name, `<subset>__<split>__<run_id>.json` (sb_cli/get_report.py), when it is one: a
/// subset and split smithlog knows, then the run id. A name `safe_save_json` numbered (`...-1.json`) keeps
/// its number in the run id.
struct SbCliReportName {
    var subset: String
    var split: String
    var runId: String

    init?(path: String) {
        let base = FileReading.baseName(path)
        guard base.hasSuffix(".json"), !base.hasSuffix(".response.json") else { return nil }
        let parts = base.dropLast(5).components(separatedBy: "__")
        guard parts.count >= 3, let splits = BenchmarkCatalog.sizes[parts[0]], splits[parts[1]] != nil else {
            return nil
        }
        subset = parts[0]
        split = parts[1]
        runId = parts[2...].joined(separator: "__")
        guard !runId.isEmpty else { return nil }
    }
}
