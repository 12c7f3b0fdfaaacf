import SmithDomain
public import SmithJSON
public import SmithProjections
import SmithReaders
public import SmithStore

/// `smithlog compare A B`: two trajectory runs, eval runs or benchmark results, instance by instance.
public enum RunComparison {
    public enum Kind: String, Sendable {
        case benchmark = "benchmark result"
        case evalRun = "eval run"
        case trajectoryRun = "trajectory run"

        /// The kind with its indefinite article: "a benchmark result", "an eval run".
        public var withArticle: String { English.a(rawValue) }
    }

    /// One side: what it is, which instances it covers and which it resolved, and its cost where known.
    public struct Side: Sendable {
        public var name: String
        public var kind: Kind
        public var instances: Set<String>
        public var resolved: Set<String>
        public var cost: Double?
        public var tokensSent: Int?
        public var tokensReceived: Int?
        /// Denominator for resolved %: the benchmark size, or the instances evaluated.
        public var total: Int
        /// For a benchmark result, `benchmark split`: only results on the same one pair up instance by instance.
        public var scope: String? = nil
        /// Verdicts per kind (`resolved`, `unresolved`, `error`, `infra`, `missing`); empty when not recorded.
        public var kinds: [String: Int] = [:]
        /// Instances whose failure the harness classed as the environment's: counted apart, not as the model's.
        public var infra: Set<String> = []
        /// The trajectory run whose patches were judged (for a benchmark result: the inference run it scored).
        public var trajectoryRun: (name: String, version: Int64)? = nil
    }

    /// One side's recorded trajectory of an instance.
    public struct TrajectoryRef: Sendable {
        public var run: String
        /// The TrajectoryProduced event's id.
        public var eventID: String
        public var sha256: String
    }

    /// An instance resolved by one side only, with each side's trajectory when recorded.
    public struct Flip: Sendable {
        public var instance: String
        /// `a` or `b`: the side that resolved it.
        public var resolvedBy: String
        public var a: TrajectoryRef?
        public var b: TrajectoryRef?
    }

    public struct Result: Sendable {
        public var a: Side
        public var b: Side
        public var onlyA: [String]
        public var onlyB: [String]
        public var both: Int
        public var pValue: Double
        public var perRepo: [(repo: String, a: Int, b: Int, instances: Int)]
        /// Instances resolved by one side and an infra failure on the other: left out of the McNemar pairs.
        public var infraExcluded: [String] = []
        /// Every instance in `onlyA` and `onlyB` with the two sides' trajectories (nil where not recorded).
        public var flips: [Flip] = []
    }

    public static func compare(
        _ a: String, _ b: String, log: EventLog, projections: ProjectionEngine
    ) throws
        -> Result
    {
        let sa = try side(a, log: log, projections: projections)
        let sb = try side(b, log: log, projections: projections)
        guard sa.kind == sb.kind else {
            throw QueryError(
                "'\(a)' is \(sa.kind.withArticle) but '\(b)' is \(sb.kind.withArticle); compare like with like")
        }
        guard sa.scope == sb.scope else {
            throw QueryError(
                "'\(a)' is a result on \(sa.scope ?? "?") but '\(b)' on \(sb.scope ?? "?"); "
                    + "McNemar pairs the same instances, so compare results on the same benchmark and split")
        }
        // An infra failure is the environment's, not the model's: such an instance is no discordant pair.
        let infra = sa.infra.union(sb.infra)
        let excluded = sa.resolved.symmetricDifference(sb.resolved).intersection(infra).sorted()
        let onlyA = sa.resolved.subtracting(sb.resolved).subtracting(infra).sorted()
        let onlyB = sb.resolved.subtracting(sa.resolved).subtracting(infra).sorted()
        var repos: [String: (Int, Int, Int)] = [:]
        // Every instance of either side once, without building their union (thousands of ids hashed again), and
        // each repo's counts updated in place (one lookup).
        func tally(_ id: String) {
            let a = sa.resolved.contains(id) ? 1 : 0
            let b = sb.resolved.contains(id) ? 1 : 0
            func add(_ r: inout (Int, Int, Int)) { r = (r.0 + a, r.1 + b, r.2 + 1) }
            add(&repos[repoName(id), default: (0, 0, 0)])
        }
        for id in sa.instances { tally(id) }
        for id in sb.instances where !sa.instances.contains(id) { tally(id) }
        // Only the flipped instances' trajectories are shown: the others are not kept.
        let flipped = Set(onlyA).union(onlyB)
        let trajA = try trajectories(of: sa, among: flipped, p: projections)
        let trajB = try trajectories(of: sb, among: flipped, p: projections)
        let flips =
            onlyA.map { Flip(instance: $0, resolvedBy: "a", a: trajA[$0], b: trajB[$0]) }
            + onlyB.map { Flip(instance: $0, resolvedBy: "b", a: trajA[$0], b: trajB[$0]) }
        return Result(
            a: sa, b: sb, onlyA: onlyA, onlyB: onlyB, both: sa.resolved.intersection(sb.resolved).count,
            pValue: McNemar.exactPValue(b: onlyA.count, c: onlyB.count),
            perRepo: repos.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1, $0.value.2) },
            infraExcluded: excluded, flips: flips)
    }

    /// The side's recorded trajectories of the instances in `wanted`, by instance (empty when it names no
    /// trajectory run); the latest recording of each.
    ///
    /// Rows are read one at a time and only the wanted ones kept: a run at a million events has thousands.
    static func trajectories(
        of side: Side, among wanted: Set<String>, p: ProjectionEngine
    ) throws -> [String: TrajectoryRef] {
        guard let run = side.trajectoryRun, !wanted.isEmpty else { return [:] }
        let label = "\(run.name)@\(run.version)"  // one string shared by every reference
        var out: [String: TrajectoryRef] = [:]
        // The latest recording of this run version wins. trajectory_history's two tables are read apart, not
        // through the view (SQLite would compute its unused columns, an ISO time per row, for thousands of rows)
        // nor as one ordered union (SQLite would sort thousands of rows by seq): the replaced recordings first,
        // usually none; then `trajectories`, one row per instance, needs no sort.
        var seqs: [String: Int64] = [:]
        // Rows as SQLite holds them: only the wanted ones' columns are made into Strings.
        func keep(_ row: SQLiteRow, compare: Bool) {
            guard let id = row.value(0).stringValue, wanted.contains(id) else { return }
            if compare {
                let seq = row.value(3).int64Value ?? 0
                if let kept = seqs[id], kept > seq { return }
                seqs[id] = seq
            }
            out[id] = TrajectoryRef(
                run: label, eventID: row.value(1).stringValue ?? "", sha256: row.value(2).stringValue ?? "")
        }
        let arguments: [SQLValue] = [.text(run.name), .integer(run.version)]
        try p.forEachRow(
            sql: """
                SELECT instance_id, event_id, traj_sha256, seq FROM superseded_trajectories
                WHERE run = ?1 AND run_version = ?2
                """, arguments: arguments
        ) { row in
            keep(row, compare: true)
            return true
        }
        let replaced = !seqs.isEmpty
        try p.forEachRow(
            sql: """
                SELECT instance_id, event_id, traj_sha256, seq FROM trajectories WHERE run = ?1 AND run_version = ?2
                """, arguments: arguments
        ) { row in
            keep(row, compare: replaced)
            return true
        }
        return out
    }

    /// `owner__repo-123` → `owner/repo`; `owner__repo.abcd1234.bug` → `owner/repo`.
    static func repoName(_ id: String) -> String {
        switch InstanceID(id) {
        case .sweSmith(let owner, let repo, _, _), .sweBench(let owner, let repo, _): return owner + "/" + repo
        case .other(let s): return s
        }
    }

    /// One side by `NAME` or `NAME@N`: a benchmark result, else an eval run, else a trajectory run. Retracted
    /// versions are no candidates; an unknown name throws `NameError(.notFound)`.
    static func side(_ text: String, log: EventLog, projections p: ProjectionEngine) throws -> Side {
        let wanted = VersionedName(parsing: text)
        var retracted: NamedRow?
        func standing(_ kind: NamedKind) throws -> NamedRow? {
            guard let row = try NamedRow.find(wanted, kind, p) else { return nil }
            guard row.retraction == nil else {
                retracted = retracted ?? row
                return nil
            }
            return row
        }
        if let row = try standing(.bench), let digest = Digest(hex: row["ids_sha256"].stringValue ?? "") {
            let lists = try JSONParser.parse(try log.blob(digest))
            func ids(_ key: String) -> [String] { lists[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            let resolved = Set(ids("resolved_ids"))
            let all = resolved.union(ids("unresolved_ids")).union(ids("error_ids")).union(ids("empty_patch_ids"))
                .union(ids("incomplete_ids")).union(ids("submitted_ids"))
            let infra = Set(ids("infra_failure_ids")).subtracting(resolved)
            var kinds: [String: Int] = [
                "resolved": resolved.count, "unresolved": Set(ids("unresolved_ids")).subtracting(infra).count,
                "error": Set(ids("error_ids")).subtracting(infra).count, "missing": ids("empty_patch_ids").count,
            ]
            if row["infra"].int64Value != nil || !infra.isEmpty { kinds["infra"] = infra.count }
            var run: (String, Int64)?
            if let ofRun = row["of_run"].stringValue, let version = row["of_run_version"].int64Value {
                run = (VersionedName(parsing: ofRun).name, version)
            }
            return Side(
                name: row.label, kind: .benchmark, instances: all, resolved: resolved, cost: row["cost"].doubleValue,
                tokensSent: nil,
                tokensReceived: nil, total: Int(row["total"].int64Value ?? 0),
                scope: "\(row["benchmark"].stringValue ?? "") \(row["split"].stringValue ?? "")", kinds: kinds,
                infra: infra, trajectoryRun: run)
        }
        let kind: Kind
        let eval: NamedRow
        var trajRun: (name: String, version: Int64)?
        if let row = try standing(.eval) {
            kind = .evalRun
            eval = row
            if let run = row["of_run"].stringValue, let version = row["of_run_version"].int64Value {
                trajRun = (VersionedName(parsing: run).name, version)
            }
        } else if let run = try standing(.run) {
            kind = .trajectoryRun
            trajRun = (run.name, run.version)
            // The run version's latest evaluation that stands.
            let found = try p.query(
                sql: """
                    SELECT name, version FROM eval_runs
                    WHERE (of_run = ?1 OR of_run = ?1 || '@' || ?2) AND of_run_version = ?2 AND retracted IS NULL
                    ORDER BY seq DESC LIMIT 1
                    """, arguments: [.text(run.name), .integer(run.version)]
            ).rows.first
            guard let name = found?[0].stringValue, let version = found?[1].int64Value,
                let row = try NamedRow.find(VersionedName(name: name, version: Int(version)), .eval, p)
            else {
                throw QueryError("trajectory run '\(run.label)' has no evaluation recorded (ingest one with --of-run)")
            }
            eval = row
        } else if let retracted {
            throw NameError(
                .notFound, "\(retracted.kind.noun) '\(retracted.label)' is retracted (\(retracted.retraction ?? ""))")
        } else {
            throw NamedRow.notFound(wanted, "benchmark result, eval run or trajectory run")
        }
        // The latest verdict per instance among those recorded under this eval run version.
        var instances = Set<String>()
        var resolved = Set<String>()
        // verdict_history's two tables apart, for the reasons `trajectories(of:among:p:)` gives (here SQLite
        // would group thousands of rows by instance): the replaced verdicts first, usually none; then `verdicts`,
        // one row per instance.
        var replaced: [String: (seq: Int64, resolved: Bool)] = [:]
        try p.forEachRow(
            sql: """
                SELECT instance_id, resolved, seq FROM superseded_verdicts WHERE eval_run = ?1 AND eval_version = ?2
                """, arguments: [.text(eval.name), .integer(eval.version)]
        ) { v in
            guard let id = v.value(0).stringValue else { return true }
            let seq = v.value(2).int64Value ?? 0
            if let kept = replaced[id], kept.seq > seq { return true }
            replaced[id] = (seq, v.value(1).int64Value == 1)
            return true
        }
        let merging = !replaced.isEmpty
        try p.forEachRow(
            sql: "SELECT instance_id, resolved, seq FROM verdicts WHERE eval_run = ?1 AND eval_version = ?2",
            arguments: [.text(eval.name), .integer(eval.version)]
        ) { v in
            guard let id = v.value(0).stringValue else { return true }
            guard merging else {
                instances.insert(id)
                if v.value(1).int64Value == 1 { resolved.insert(id) }
                return true
            }
            let seq = v.value(2).int64Value ?? 0
            if let kept = replaced[id], kept.seq > seq { return true }
            replaced[id] = (seq, v.value(1).int64Value == 1)
            return true
        }
        for (id, verdict) in replaced {
            instances.insert(id)
            if verdict.resolved { resolved.insert(id) }
        }
        var cost: Double?
        var sent: Int?
        var received: Int?
        if let trajRun {
            let c = try p.query(
                sql: """
                    SELECT sum(instance_cost), sum(tokens_sent), sum(tokens_received) FROM trajectories
                    WHERE run = ? AND run_version = ?
                    """, arguments: [.text(trajRun.name), .integer(trajRun.version)]
            ).rows.first
            cost = c?[0].doubleValue
            sent = c?[1].int64Value.map(Int.init)
            received = c?[2].int64Value.map(Int.init)
        }
        let label = kind == .evalRun ? eval.label : trajRun.map { "\($0.name)@\($0.version)" } ?? text
        var kinds: [String: Int] = [:]
        var infra = Set<String>()
        try p.forEachRow(
            sql: "SELECT instance_id, kind FROM verdict_kinds WHERE eval_run = ? AND eval_version = ?",
            arguments: [.text(eval.name), .integer(eval.version)]
        ) { row in
            guard let id = row.value(0).stringValue, let k = row.value(1).stringValue, instances.contains(id) else {
                return true
            }
            kinds[k, default: 0] += 1
            if k == "infra" { infra.insert(id) }
            return true
        }
        return Side(
            name: label, kind: kind, instances: instances, resolved: resolved, cost: cost, tokensSent: sent,
            tokensReceived: received, total: instances.count, kinds: kinds, infra: infra, trajectoryRun: trajRun)
    }

    public static func json(_ r: Result) -> JSONValue {
        .object(jsonHead(r) + [("flipped", .array(r.flips.map(json)))] + jsonTail(r))
    }

    /// ``json(_:)`` as `PythonJSON.dumps(json(r), ensureASCII: false, indent: 2)` writes it, and a newline,
    /// handed to `emit` in pieces of about 64 KB.
    ///
    /// The flipped instances (thousands when two runs at a million events are compared) are written one at a
    /// time: the whole document is never one value, nor one string.
    public static func writeJSON(_ r: Result, to emit: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + 4096)
        func flushIfFull() {
            guard out.count >= chunkSize else { return }
            emit(out)
            out.removeAll(keepingCapacity: true)
        }
        var first = true
        func key(_ name: String) {
            out.append(contentsOf: (first ? "{\n  " : ",\n  ").utf8)
            first = false
            PythonJSON.dump(.string(name), into: &out, ensureASCII: false)
            out.append(contentsOf: ": ".utf8)
        }
        func members(_ pairs: [(String, JSONValue)]) {
            for (name, value) in pairs {
                key(name)
                appendIndented(value, level: 1, to: &out)
                flushIfFull()
            }
        }
        members(jsonHead(r))
        key("flipped")
        if r.flips.isEmpty {
            out.append(contentsOf: "[]".utf8)
        } else {
            out.append(UInt8(ascii: "["))
            for (i, flip) in r.flips.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
                appendIndented(json(flip), level: 2, to: &out)
                flushIfFull()
            }
            out.append(contentsOf: "\n  ]".utf8)
        }
        members(jsonTail(r))
        out.append(contentsOf: "\n}\n".utf8)
        emit(out)
    }

    /// Bytes handed to a writer's `emit` at a time.
    static let chunkSize = 1 << 16

    /// `value` as `dumps(..., indent: 2)` writes it nested `level` deep: the same text, every line after the
    /// first indented `level` more times. Only layout puts a line break in the text (strings escape theirs).
    static func appendIndented(_ value: JSONValue, level: Int, to out: inout [UInt8]) {
        let text = PythonJSON.dumpBytes(value, ensureASCII: false, indent: 2)
        let padding = [UInt8](repeating: UInt8(ascii: " "), count: 2 * level)
        for byte in text {
            out.append(byte)
            if byte == UInt8(ascii: "\n") { out.append(contentsOf: padding) }
        }
    }

    /// An instance resolved by one side only, with both sides' trajectories (null where not recorded).
    static func json(_ flip: Flip) -> JSONValue {
        func trajectory(_ t: TrajectoryRef?) -> JSONValue {
            guard let t else { return .null }
            return .object([("run", .string(t.run)), ("event_id", .string(t.eventID)), ("sha256", .string(t.sha256))])
        }
        return .object([
            ("instance_id", .string(flip.instance)), ("resolved_by", .string(flip.resolvedBy)),
            ("a_trajectory", trajectory(flip.a)), ("b_trajectory", trajectory(flip.b)),
        ])
    }

    /// The members of ``json(_:)`` before `flipped`.
    static func jsonHead(_ r: Result) -> [(String, JSONValue)] {
        func side(_ s: Side) -> JSONValue {
            .object([
                ("name", .string(s.name)), ("kind", .string(s.kind.rawValue)), ("resolved", .int(s.resolved.count)),
                ("total", .int(s.total)),
                (
                    "resolved_pct",
                    .number(PythonFloat.repr(s.total > 0 ? 100 * Double(s.resolved.count) / Double(s.total) : 0))
                ),
                ("cost", s.cost.map { .number(PythonFloat.repr($0)) } ?? .null),
                ("tokens_sent", s.tokensSent.map { .int($0) } ?? .null),
                ("tokens_received", s.tokensReceived.map { .int($0) } ?? .null),
                ("kinds", .object(VerdictKindOrder.all.compactMap { k in s.kinds[k].map { (k, .int($0)) } })),
                ("trajectory_run", s.trajectoryRun.map { .string("\($0.name)@\($0.version)") } ?? .null),
            ])
        }
        return [
            ("a", side(r.a)), ("b", side(r.b)), ("both_resolved", .int(r.both)),
            ("only_a", .array(r.onlyA.map(JSONValue.string))), ("only_b", .array(r.onlyB.map(JSONValue.string))),
            ("mcnemar_exact_p", .number(PythonFloat.repr(r.pValue))),
            ("infra_excluded", .array(r.infraExcluded.map(JSONValue.string))),
        ]
    }

    /// The members of ``json(_:)`` after `flipped`.
    static func jsonTail(_ r: Result) -> [(String, JSONValue)] {
        [
            (
                "per_repo",
                .array(
                    r.perRepo.map {
                        .object([
                            ("repo", .string($0.repo)), ("a", .int($0.a)), ("b", .int($0.b)),
                            ("instances", .int($0.instances)),
                        ])
                    })
            )
        ]
    }

    /// The comparison for people: counts, the p-value and the per-repo table; with `ids`, also every instance id
    /// resolved by only one side (long lists on real benchmarks: `json(_:)` always has them).
    public static func text(_ r: Result, ids: Bool = false) -> String {
        var out = ""
        writeText(r, ids: ids) { out += $0 }
        return out
    }

    /// ``text(_:ids:)`` handed to `emit` a line or a few at a time, never as one string (the flipped instances'
    /// table has thousands of lines when two runs at a million events are compared).
    public static func writeText(_ r: Result, ids: Bool = false, to emit: (String) -> Void) {
        func line(_ s: Side) -> String {
            let pct = s.total > 0 ? 100 * Double(s.resolved.count) / Double(s.total) : 0
            var out =
                "\(s.name) (\(s.kind.rawValue)): \(s.resolved.count)/\(s.total) resolved (\(Format.fixed(pct, 1))%)"
            if let c = s.cost { out += ", cost $\(Format.fixed(c, 2))" }
            if let t = s.tokensSent { out += ", \(t) tokens sent" }
            if let infra = s.kinds["infra"], infra > 0 {
                out += "; \(infra) infra failure\(infra == 1 ? "" : "s") (not the model's)"
            }
            return out
        }
        var out = "A: " + line(r.a) + "\nB: " + line(r.b) + "\n"
        defer { emit(out) }
        out += "resolved by both: \(r.both); only by A: \(r.onlyA.count); only by B: \(r.onlyB.count)\n"
        // The kinds, when a side has verdicts other than resolved and unresolved (errors, infra failures, no patch).
        func kinds(_ s: Side) -> String {
            VerdictKindOrder.all.compactMap { k in s.kinds[k].map { "\(k) \($0)" } }.joined(separator: ", ")
        }
        if [r.a, r.b].contains(where: { s in ["error", "infra", "missing"].contains { (s.kinds[$0] ?? 0) > 0 } }) {
            out += "kinds: A \(kinds(r.a)); B \(kinds(r.b))\n"
        }
        if !r.infraExcluded.isEmpty {
            out += "left out of the pairs: \(r.infraExcluded.count) resolved by one side, infra failure on the other\n"
        }
        out += "exact McNemar p = \(McNemar.format(r.pValue))\n\n"
        func flush() {
            emit(out)
            out = ""
        }
        flush()
        Format.writeTable(
            ["repo", "A", "B", "instances"],
            r.perRepo.lazy.map { [$0.repo, String($0.a), String($0.b), String($0.instances)] }, to: emit)
        let traced = r.flips.lazy.filter { $0.a != nil || $0.b != nil }
        if !traced.isEmpty {
            // The cells are made twice (widths, then lines), thousands of times: the common values without
            // Character-by-Character work.
            func cell(_ t: TrajectoryRef?) -> String {
                guard let t else { return "" }
                let short =
                    Format.isPlainASCII(t.sha256)
                    ? String(decoding: t.sha256.utf8.prefix(12), as: UTF8.self)
                    : String(t.sha256.prefix(12))
                return t.run + " " + short
            }
            func side(_ resolvedBy: String) -> String {
                resolvedBy == "a" ? "A" : resolvedBy == "b" ? "B" : resolvedBy.uppercased()
            }
            emit("\nflipped instances and their trajectories:\n")
            Format.writeTable(
                ["instance", "resolved by", "A trajectory", "B trajectory"],
                traced.map { [$0.instance, side($0.resolvedBy), cell($0.a), cell($0.b)] }, to: emit)
        }
        guard ids else {
            if !r.onlyA.isEmpty || !r.onlyB.isEmpty {
                out += "\n(--ids lists the instances resolved by only one side)\n"
            }
            return
        }
        for (title, list) in [("only A", r.onlyA), ("only B", r.onlyB)] where !list.isEmpty {
            out += "\n\(title):\n"
            for id in list {
                out += "  " + id + "\n"
                if out.utf8.count >= chunkSize { flush() }
            }
        }
    }
}

/// A query that cannot be answered: an unknown name, or two things that do not compare.
public struct QueryError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The verdict kinds in the order output lists them.
enum VerdictKindOrder {
    static let all = ["resolved", "unresolved", "error", "infra", "missing"]
}
