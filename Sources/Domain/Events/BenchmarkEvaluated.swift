import SmithJSON
public import SmithStore

/// A SWE-bench Lite / Verified / Multimodal result (the report and its resolved ids are the blobs).
///
/// Identity: the name, the benchmark and the report's SHA-256 (not the cost: the same report recorded again
/// with another cost is the same fact). Version 2 added `cost` (null when read from version 1); version 3
/// added `of_run` (the trajectory run whose predictions were scored), `response_sha256` (sb-cli's
/// `.response.json`) and `infra` (infra failures among the unresolved), all null when read from older versions.
public struct BenchmarkEvaluated: PipelineEvent {
    public static let eventType = EventType.benchmarkEvaluated
    public static let schemaVersion = 3
    public static let upcasters: [Int: Upcast] = [1: addCost, 2: addRunLink]

    public var name: String
    /// `swe-bench_lite`, `swe-bench_verified` or `swe-bench-m`.
    public var benchmark: String
    public var split: String
    public var model: String?
    /// The checkpoint scored, as `NAME@N` (`NAME` alone in events recorded before versions).
    public var checkpoint: String?
    public var total: Int
    public var submitted: Int
    public var resolved: Int
    public var unresolved: Int
    public var error: Int
    public var emptyPatch: Int
    public var incomplete: Int
    /// `swe-bench-v2` or `sb-cli`.
    public var reportFormat: String
    public var report: Digest
    public var ids: Digest
    /// What the run cost, in USD: as given (`bench record --cost`), else the sum of the report's per-instance
    /// costs; nil when unknown.
    public var cost: Double?
    /// The trajectory run whose predictions were scored, as `NAME@N`, when known.
    public var ofRun: String?
    /// SHA-256 of sb-cli's `<subset>__<split>__<run_id>.response.json` beside the report (a blob), when present.
    public var response: Digest?
    /// Instances the harness classed as infrastructure failures (`infra_failure_ids`), counted apart from the
    /// model's failures; nil when the report does not say.
    public var infra: Int?

    public init(
        name: String, benchmark: String, split: String, model: String?, checkpoint: String?, total: Int,
        submitted: Int, resolved: Int, unresolved: Int, error: Int, emptyPatch: Int, incomplete: Int,
        reportFormat: String, report: Digest, ids: Digest, cost: Double? = nil, ofRun: String? = nil,
        response: Digest? = nil, infra: Int? = nil
    ) {
        self.ofRun = ofRun
        self.response = response
        self.infra = infra
        self.name = name
        self.benchmark = benchmark
        self.split = split
        self.model = model
        self.checkpoint = checkpoint
        self.total = total
        self.submitted = submitted
        self.resolved = resolved
        self.unresolved = unresolved
        self.error = error
        self.emptyPatch = emptyPatch
        self.incomplete = incomplete
        self.reportFormat = reportFormat
        self.report = report
        self.ids = ids
        self.cost = cost
    }

    public var stream: String { StreamName.benchmark(name) }
    public var blobs: [Digest] { [report, ids] + (response.map { [$0] } ?? []) }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("benchmark", benchmark)
        p.string("split", split)
        p.string("model", model)
        p.string("checkpoint", checkpoint)
        p.int("total", total)
        p.int("submitted", submitted)
        p.int("resolved", resolved)
        p.int("unresolved", unresolved)
        p.int("error", error)
        p.int("empty_patch", emptyPatch)
        p.int("incomplete", incomplete)
        p.string("report_format", reportFormat)
        p.digest("report_sha256", report)
        p.digest("ids_sha256", ids)
        p.double("cost", cost)
        p.string("of_run", ofRun)
        p.digest("response_sha256", response)
        p.int("infra", infra)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        benchmark = try p.string("benchmark")
        split = try p.string("split")
        model = try p.optionalString("model")
        checkpoint = try p.optionalString("checkpoint")
        total = try p.int("total")
        submitted = try p.int("submitted")
        resolved = try p.int("resolved")
        unresolved = try p.int("unresolved")
        error = try p.int("error")
        emptyPatch = try p.int("empty_patch")
        incomplete = try p.int("incomplete")
        reportFormat = try p.string("report_format")
        report = try p.digest("report_sha256")
        ids = try p.digest("ids_sha256")
        cost = try p.optionalDouble("cost")
        ofRun = try p.optionalString("of_run")
        response = try p.optionalDigest("response_sha256")
        infra = try p.optionalInt("infra")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("benchmark", benchmark)
        p.digest("report_sha256", report)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "BenchmarkEvaluated.name")
        try EventValidation.text(split, "BenchmarkEvaluated.split")
        for (field, n) in [("total", total), ("resolved", resolved), ("submitted", submitted)] {
            try EventValidation.count(n, "BenchmarkEvaluated.\(field)")
        }
        if let cost, !(cost.isFinite && cost >= 0) {
            throw EventValidationError("BenchmarkEvaluated.cost", "must be a finite number of USD, not negative")
        }
    }

    /// v1 → v2: the cost is unknown for results recorded before it was kept.
    static let addCost: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("cost", .null)])
    }

    /// v2 → v3: the run link, sb-cli response and infra count are unknown for results recorded before.
    static let addRunLink: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("of_run", .null), ("response_sha256", .null), ("infra", .null)])
    }
}
