import SmithDomain
import SmithJSON
import SmithReaders
public import SmithStore

/// `smithlog bench import-leaderboard`: the SWE-bench site's `data/leaderboards.json` as benchmark results.
///
/// The file is `{"leaderboards": [{"name": "bash-only", "results": [entry, ...]}, ...]}`; an entry that has
/// `per_instance_details` (`{"<instance id>": {"resolved": bool, "cost": USD, "api_calls": N}}`, the site's
/// bash-only and Verified boards) becomes one BenchmarkEvaluated named `<folder>.<board>`: its model (the
/// `Model: ...` tag, else the entry's name), resolved ids and per-instance costs, the entry itself as the report
/// blob. Entries without per-instance details are counted, not recorded. Boards: `bash-only` and `Verified` score
/// SWE-bench Verified, `Lite` Lite, `Multimodal` Multimodal; `Test` (full SWE-bench) is not a benchmark smithlog
/// scores and is counted like an entry without details.
public enum LeaderboardImport {
    /// What the import did: the usual report, plus how many entries had no per-instance details.
    public struct Outcome: Sendable {
        public var report = IngestReport()
        /// Results recorded now or found recorded, as `NAME@N`.
        public var results: [String] = []
        /// Entries on the chosen boards without per-instance details (or on a board smithlog does not score).
        public var withoutDetails = 0
    }

    /// The benchmark each board of the site scores.
    static let boards: [String: String] = [
        "bash-only": "swe-bench_verified", "verified": "swe-bench_verified", "lite": "swe-bench_lite",
        "multimodal": "swe-bench-m",
    ]

    /// Records every entry with per-instance details on `board` (every board when nil; matched without case).
    /// Throws a one-line `IngestError` for a file of another shape, or an unknown `board`; an entry that cannot be
    /// recorded (a bad id, a name recorded with other content) is skipped with its reason.
    public static func run(file: String, board: String?, log: EventLog) throws -> Outcome {
        let bytes = try FileReading.bytes(file)
        let top: JSONValue
        do {
            top = try JSONParser.parse(bytes)
        } catch {
            throw IngestError("\(file): \(error)")
        }
        guard let list = top["leaderboards"]?.arrayValue else {
            throw IngestError(
                "\(file): $.leaderboards: expected the SWE-bench site's leaderboards.json "
                    + "({\"leaderboards\": [{\"name\", \"results\"}, ...]})")
        }
        let names = list.compactMap { $0["name"]?.stringValue }
        if let board, !names.contains(where: { $0.lowercased() == board.lowercased() }) {
            throw IngestError.notFound(
                "--board \(board): \(file) has the boards \(names.joined(separator: ", "))")
        }
        var outcome = Outcome()
        for (index, entry) in list.enumerated() {
            guard let boardName = entry["name"]?.stringValue, let results = entry["results"]?.arrayValue else {
                throw IngestError("\(file): $.leaderboards[\(index)]: expected an object with name and results")
            }
            if let board, boardName.lowercased() != board.lowercased() { continue }
            for (position, result) in results.enumerated() {
                let place = "\(file): $.leaderboards[\(index)].results[\(position)]"
                guard let benchmark = boards[boardName.lowercased()],
                    let details = result["per_instance_details"]?.objectValue, !details.isEmpty
                else {
                    outcome.withoutDetails += 1
                    continue
                }
                do {
                    let (report, label) = try record(
                        result, details: details, board: boardName, benchmark: benchmark, place: place, log: log)
                    outcome.report.newEvents += report.newEvents
                    outcome.report.alreadyRecorded += report.alreadyRecorded
                    outcome.report.artifacts += 1
                    outcome.results.append(label)
                } catch let error as IngestError where error.code == .failed {
                    outcome.report.skipped.append(error.description)
                } catch let error as NameError {
                    outcome.report.skipped.append(error.description)
                }
            }
        }
        return outcome
    }

    /// One entry as a BenchmarkEvaluated (same fields as `bench record` of a harness run report).
    static func record(
        _ entry: JSONValue, details: [(String, JSONValue)], board: String, benchmark: String, place: String,
        log: EventLog
    ) throws -> (IngestReport, String) {
        guard let folder = entry["folder"]?.stringValue ?? entry["name"]?.stringValue else {
            throw IngestError("\(place): expected a folder or name")
        }
        let name = folder + "." + board.lowercased().replacingOccurrences(of: " ", with: "-")
        try log.checkNewName(name, .bench, field: "the result name taken from the entry's folder")
        let total = try BenchmarkCatalog.size(benchmark: benchmark, split: "test")
        var resolved: [String] = []
        var unresolved: [String] = []
        for (id, detail) in details {
            guard let flag = detail["resolved"]?.boolValue else {
                throw IngestError(
                    "\(place).per_instance_details[\(PythonJSON.dumps(.string(id)))].resolved: expected true or false")
            }
            if flag { resolved.append(id) } else { unresolved.append(id) }
        }
        let submitted = details.map(\.0).sorted()
        resolved.sort()
        unresolved.sort()
        let lists: [(String, [String])] = [
            ("resolved_ids", resolved), ("unresolved_ids", unresolved), ("error_ids", []), ("empty_patch_ids", []),
            ("incomplete_ids", []), ("submitted_ids", submitted),
        ]
        let summary = EvalRunSummary(
            kind: .sweBenchRun, total: total, resolved: resolved.count, unresolved: unresolved.count,
            submitted: submitted.count)
        try BenchmarkRecord.checkFits(
            summary, lists: lists, benchmark: benchmark, split: "test", size: total, file: place)
        let costs = try BenchmarkCost.perInstance(entry, file: place)
        var idLists: [(String, JSONValue)] = lists.map { ($0.0, .array($0.1.map(JSONValue.string))) }
        if let costs {
            idLists.append(("instance_costs", .object(costs.map { ($0.0, .number(PythonFloat.repr($0.1))) })))
        }
        let reportBlob = PreparedBlob(PythonJSON.dumpBytes(entry))
        let idsBlob = PreparedBlob(PythonJSON.dumpBytes(.object(idLists)))
        let tags = entry["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let model =
            tags.first { $0.hasPrefix("Model: ") }.map { String($0.dropFirst("Model: ".count)) }
            ?? entry["name"]?.stringValue
        let evaluated = try BenchmarkEvaluated(
            name: name, benchmark: benchmark, split: "test", model: model, checkpoint: nil, total: total,
            submitted: submitted.count, resolved: resolved.count, unresolved: unresolved.count, error: 0,
            emptyPatch: 0, incomplete: max(0, total - submitted.count), reportFormat: "leaderboard",
            report: reportBlob.digest, ids: idsBlob.digest,
            cost: try BenchmarkCost.total(given: nil, perInstance: costs)
        ).newEvent()
        let decision = try NameDecision<BenchmarkEvaluated>(
            .bench, name, log: log, newVersion: false,
            sameContent: { $0.head.report == reportBlob.digest && $0.head.benchmark == benchmark },
            describe: { v in "report sha256 \(shortHash(v.head.report)), resolved \(v.head.resolved)/\(v.head.total)" })
        if decision.existing != nil {
            var report = IngestReport()
            report.alreadyRecorded = 1
            return (report, decision.label)
        }
        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        try batcher.add([evaluated], blobs: [reportBlob, idsBlob])
        try batcher.flush()
        return (batcher.report, decision.label)
    }
}
