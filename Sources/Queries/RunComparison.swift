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
    }

    public struct Result: Sendable {
        public var a: Side
        public var b: Side
        public var onlyA: [String]
        public var onlyB: [String]
        public var both: Int
        public var pValue: Double
        public var perRepo: [(repo: String, a: Int, b: Int, instances: Int)]
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
        let onlyA = sa.resolved.subtracting(sb.resolved).sorted()
        let onlyB = sb.resolved.subtracting(sa.resolved).sorted()
        var repos: [String: (Int, Int, Int)] = [:]
        for id in sa.instances.union(sb.instances) {
            let repo = repoName(id)
            var r = repos[repo] ?? (0, 0, 0)
            if sa.resolved.contains(id) { r.0 += 1 }
            if sb.resolved.contains(id) { r.1 += 1 }
            r.2 += 1
            repos[repo] = r
        }
        return Result(
            a: sa, b: sb, onlyA: onlyA, onlyB: onlyB, both: sa.resolved.intersection(sb.resolved).count,
            pValue: McNemar.exactPValue(b: onlyA.count, c: onlyB.count),
            perRepo: repos.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1, $0.value.2) })
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
            return Side(
                name: row.label, kind: .benchmark, instances: all, resolved: resolved, cost: row["cost"].doubleValue,
                tokensSent: nil,
                tokensReceived: nil, total: Int(row["total"].int64Value ?? 0),
                scope: "\(row["benchmark"].stringValue ?? "") \(row["split"].stringValue ?? "")")
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
        let verdicts = try p.query(
            sql: """
                SELECT instance_id, resolved, max(seq) FROM verdict_history WHERE eval_run = ? AND eval_version = ?
                GROUP BY instance_id
                """, arguments: [.text(eval.name), .integer(eval.version)])
        var instances = Set<String>()
        var resolved = Set<String>()
        for v in verdicts.rows {
            guard let id = v[0].stringValue else { continue }
            instances.insert(id)
            if v[1].int64Value == 1 { resolved.insert(id) }
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
        return Side(
            name: label, kind: kind, instances: instances, resolved: resolved, cost: cost, tokensSent: sent,
            tokensReceived: received, total: instances.count)
    }

    public static func json(_ r: Result) -> JSONValue {
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
            ])
        }
        return .object([
            ("a", side(r.a)), ("b", side(r.b)), ("both_resolved", .int(r.both)),
            ("only_a", .array(r.onlyA.map(JSONValue.string))), ("only_b", .array(r.onlyB.map(JSONValue.string))),
            ("mcnemar_exact_p", .number(PythonFloat.repr(r.pValue))),
            (
                "per_repo",
                .array(
                    r.perRepo.map {
                        .object([
                            ("repo", .string($0.repo)), ("a", .int($0.a)), ("b", .int($0.b)),
                            ("instances", .int($0.instances)),
                        ])
                    })
            ),
        ])
    }

    /// The comparison for people: counts, the p-value and the per-repo table; with `ids`, also every instance id
    /// resolved by only one side (long lists on real benchmarks: `json(_:)` always has them).
    public static func text(_ r: Result, ids: Bool = false) -> String {
        func line(_ s: Side) -> String {
            let pct = s.total > 0 ? 100 * Double(s.resolved.count) / Double(s.total) : 0
            var out =
                "\(s.name) (\(s.kind.rawValue)): \(s.resolved.count)/\(s.total) resolved (\(Format.fixed(pct, 1))%)"
            if let c = s.cost { out += ", cost $\(Format.fixed(c, 2))" }
            if let t = s.tokensSent { out += ", \(t) tokens sent" }
            return out
        }
        var out = "A: " + line(r.a) + "\nB: " + line(r.b) + "\n"
        out += "resolved by both: \(r.both); only by A: \(r.onlyA.count); only by B: \(r.onlyB.count)\n"
        out += "exact McNemar p = \(McNemar.format(r.pValue))\n\n"
        out += Format.table(
            ["repo", "A", "B", "instances"],
            r.perRepo.map { [$0.repo, String($0.a), String($0.b), String($0.instances)] })
        guard ids else {
            if !r.onlyA.isEmpty || !r.onlyB.isEmpty {
                out += "\n(--ids lists the instances resolved by only one side)\n"
            }
            return out
        }
        if !r.onlyA.isEmpty { out += "\nonly A:\n" + r.onlyA.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        if !r.onlyB.isEmpty { out += "\nonly B:\n" + r.onlyB.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        return out
    }
}

/// A query that cannot be answered: an unknown name, or two things that do not compare.
public struct QueryError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
