import SmithProjections
import SmithQueries
import SmithStore

/// `/runs/<name>`: one row per instance of a trajectory run (repo, exit status, verdict, steps, cost), an eval
/// run (verdicts) or a benchmark result (its id lists); facets, filters, sorting, keyset paging.
enum RunDetailPage {
    static func render(_ site: Site, name: String, _ r: PageRequest) throws -> Markup {
        if let run = try RunLookup.find("runs", name, site.store) { return try trajectoryRun(site, run, r) }
        if let eval = try RunLookup.find("eval_runs", name, site.store) { return try evalRun(site, eval, r) }
        if let bench = try RunLookup.find("benchmark_results", name, site.store) {
            return try benchmarkResult(site, bench, r)
        }
        throw PageNotFound("no trajectory run, eval run or benchmark result is named '\(name)'")
    }

    /// The sort orders of a trajectory run's table: the SQL key and how the `after` cursor is encoded.
    enum Sort: String, CaseIterable {
        case instance, steps, cost
        var column: String {
            switch self {
            case .instance: return "t.instance_id"
            case .steps: return "t.steps"
            case .cost: return "coalesce(t.instance_cost, -1)"
            }
        }
    }

    static func facet(_ title: String, _ counts: [[SQLValue]], param: String, _ r: PageRequest, base: String) -> Markup
    {
        let current = r[param]
        var pills: [Markup] = [Markup(title + ": ")]
        pills.append(
            .el(
                "span", ["class": current == nil ? "pill on" : "pill"],
                [H.a(Link.with(base, ["sort": r["sort"]]), "all")]))
        for c in counts {
            let value = c[0].cell
            var q: [(String, String?)] = [("exit", r["exit"]), ("verdict", r["verdict"]), ("sort", r["sort"])]
            for i in q.indices where q[i].0 == param { q[i].1 = value }
            let href = Link.with(base, ["exit": q[0].1, "verdict": q[1].1, "sort": q[2].1])
            pills.append(
                .el("span", ["class": current == value ? "pill on" : "pill"], [H.a(href, "\(value) \(c[1].cell)")]))
        }
        return .el("p", ["class": "facet"], pills)
    }

    static func trajectoryRun(_ site: Site, _ run: RunLookup.Run, _ r: PageRequest) throws -> Markup {
        let eval = try RunLookup.evaluation(of: run, site.store)
        let sort =
            try r["sort"].map { s in
                guard let v = Sort(rawValue: s) else {
                    throw BadPageRequest("sort=\(s): expected instance, steps or cost")
                }
                return v
            } ?? .instance
        let base = Link.run(run.label)
        let join = """
            FROM trajectories t LEFT JOIN verdicts v
              ON v.eval_run = ?3 AND v.eval_version = ?4 AND v.instance_id = t.instance_id
            WHERE t.run = ?1 AND t.run_version = ?2
            """
        let args: [SQLValue] = [
            .text(run.name), .integer(run.version), SQLValue(eval?.name), SQLValue(eval?.version),
        ]
        let exitFacet = try site.store.query(
            "SELECT coalesce(t.exit_status, '(none)'), count(*) \(join) GROUP BY 1 ORDER BY 2 DESC", args)
        let verdictFacet = try site.store.query(
            "SELECT \(RunLookup.verdictSQL), count(*) \(join) GROUP BY 1 ORDER BY 2 DESC", args)
        // Keyset paging on (sort key, instance id): `after` is `value~instance` of the last row shown.
        var cursorValue: SQLValue = .null
        var cursorID: SQLValue = .text("")
        if let after = r["after"] {
            let parts = after.split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if sort == .instance {
                cursorID = .text(after)
            } else if parts.count == 2, let v = Double(parts[0]) {
                cursorValue = .real(v)
                cursorID = .text(parts[1])
            } else {
                throw BadPageRequest("after=\(after): expected VALUE~INSTANCE")
            }
        }
        let keyCondition =
            sort == .instance
            ? "t.instance_id > ?7"
            : r["after"] == nil
                ? "?7 IS NOT NULL AND ?8 IS NULL"
                : "(\(sort.column) > ?8 OR (\(sort.column) = ?8 AND t.instance_id > ?7))"
        let rows = try site.store.query(
            """
            SELECT t.instance_id, t.exit_status, \(RunLookup.verdictSQL), t.steps, t.instance_cost, t.format,
                   \(sort.column), t.seq
            \(join) AND (?5 IS NULL OR coalesce(t.exit_status, '(none)') = ?5)
              AND (?6 IS NULL OR \(RunLookup.verdictSQL) = ?6) AND \(keyCondition)
            ORDER BY \(sort.column), t.instance_id LIMIT ?9
            """,
            args + [
                SQLValue(r["exit"]), SQLValue(r["verdict"]), cursorID, cursorValue, .integer(Int64(site.pageSize + 1)),
            ])
        let shown = rows.prefix(site.pageSize)
        let cells: [[Markup]] = shown.map { row in
            let id = row[0].cell
            return [
                H.td(H.a(Link.trajectory(run.label, id), id)), H.td(repoOf(id)), H.td(row[1].cell),
                H.td(.el("span", ["class": "verdict-\(row[2].cell)"], text: row[2].cell)),
                H.td(row[3].cell, class: "num"), H.td(Num.money(row[4].doubleValue), class: "num"),
                H.td(patchSize(site, seq: row[7].int64Value), class: "num"), H.td(row[5].cell),
                H.td(H.a(Link.instance(id), "history")),
            ]
        }
        var nextLink: String?
        if rows.count > site.pageSize, let last = shown.last {
            let cursor = sort == .instance ? last[0].cell : "\(last[6].doubleValue ?? 0)~\(last[0].cell)"
            nextLink = Link.with(
                base, ["exit": r["exit"], "verdict": r["verdict"], "sort": r["sort"], "after": cursor])
        }
        let sortLinks: [Markup] = Sort.allCases.map { s in
            .el(
                "span", ["class": s == sort ? "pill on" : "pill"],
                [H.a(Link.with(base, ["exit": r["exit"], "verdict": r["verdict"], "sort": s.rawValue]), s.rawValue)])
        }
        let info =
            try site.store.query(
                "SELECT model, subset, subset_version, instances, folder FROM runs WHERE name = ? AND version = ?",
                [.text(run.name), .integer(run.version)]
            ).first ?? []
        return Layout.page(
            run.label,
            [
                H.h1("Trajectory run \(run.label)"),
                H.facts([
                    ("model", Markup(info.first?.cell ?? "")),
                    (
                        "subset",
                        Markup(info.count > 2 ? info[1].stringValue.map { SftPage.pinned($0, info[2]) } ?? "" : "")
                    ),
                    ("instances", Markup(info.count > 3 ? info[3].cell : "")),
                    (
                        "evaluation",
                        eval.map { H.a(Link.run($0.label), $0.label) } ?? Markup("none recorded (verdicts are missing)")
                    ),
                ]),
                facet("exit status", exitFacet, param: "exit", r, base: base),
                facet("verdict", verdictFacet, param: "verdict", r, base: base),
                .el("p", [:], [Markup("sort: ")] + sortLinks),
                H.table(
                    ["instance", "repo", "exit status", "verdict", "steps", "cost", "patch", "format", ""], cells,
                    id: "instances"),
                Layout.next(nextLink),
            ])
    }

    /// The submitted patch's size, read from the trajectory event's patch blob (one small blob per row shown).
    static func patchSize(_ site: Site, seq: Int64?) -> String {
        guard let seq, let payload = try? site.store.log.event(seq: UInt64(seq)).payload(),
            let hex = payload["submission_sha256"]?.stringValue, let digest = Digest(hex: hex),
            let size = try? site.store.log.blob(digest).count
        else { return "" }
        return Num.bytes(size)
    }

    static func evalRun(_ site: Site, _ eval: RunLookup.Run, _ r: PageRequest) throws -> Markup {
        let info =
            try site.store.query(
                "SELECT of_run, of_run_version, model, layout FROM eval_runs WHERE name = ? AND version = ?",
                [.text(eval.name), .integer(eval.version)]
            ).first ?? []
        let ofRun: String? = info.first?.stringValue.map { run in
            let bare = run.split(separator: "@").first.map(String.init) ?? run
            return info[1].int64Value.map { "\(bare)@\($0)" } ?? run
        }
        let rows = try site.store.query(
            """
            SELECT v.instance_id, \(RunLookup.verdictSQL), v.patch_exists, v.patch_applied, v.timed_out
            FROM verdicts v WHERE v.eval_run = ?1 AND v.eval_version = ?2 AND v.instance_id > ?3
              AND (?4 IS NULL OR \(RunLookup.verdictSQL) = ?4)
            ORDER BY v.instance_id LIMIT ?5
            """,
            [
                .text(eval.name), .integer(eval.version), .text(r["after"] ?? ""), SQLValue(r["verdict"]),
                .integer(Int64(site.pageSize + 1)),
            ])
        let facetRows = try site.store.query(
            "SELECT \(RunLookup.verdictSQL), count(*) FROM verdicts v WHERE v.eval_run = ? AND v.eval_version = ? GROUP BY 1",
            [.text(eval.name), .integer(eval.version)])
        let shown = rows.prefix(site.pageSize)
        let cells: [[Markup]] = shown.map { row in
            let id = row[0].cell
            return [
                H.td(ofRun.map { H.a(Link.trajectory($0, id), id) } ?? Markup(id)), H.td(repoOf(id)),
                H.td(row[1].cell), H.td(row[2].cell), H.td(row[3].cell), H.td(row[4].cell),
                H.td(H.a(Link.instance(id), "history")),
            ]
        }
        let base = Link.run(eval.label)
        return Layout.page(
            eval.label,
            [
                H.h1("Eval run \(eval.label)"),
                H.facts([
                    ("of run", ofRun.map { H.a(Link.run($0), $0) } ?? Markup("unknown")),
                    ("model", Markup(info.count > 2 ? info[2].cell : "")),
                    ("layout", Markup(info.count > 3 ? info[3].cell : "")),
                ]),
                facet("verdict", facetRows, param: "verdict", r, base: base),
                H.table(
                    ["instance", "repo", "verdict", "patch exists", "patch applied", "timed out", ""], cells,
                    id: "instances"),
                Layout.next(
                    rows.count > site.pageSize
                        ? Link.with(base, ["verdict": r["verdict"], "after": shown.last![0].cell]) : nil),
            ])
    }

    /// The checkpoint a result scored and the inference run whose predictions it scored, as facts with links.
    static func resultLinks(_ info: [SQLValue]) -> [(String, Markup)] {
        guard info.count > 10 else { return [] }
        var out: [(String, Markup)] = []
        if let c = info[7].stringValue {
            let label = SftPage.pinned(c, info[8])
            out.append(("checkpoint", H.a(Link.checkpoint(label), label)))
        }
        if let run = info[9].stringValue {
            let label = SftPage.pinned(run, info[10])
            out.append(("inference run", H.a(Link.run(label), label)))
        }
        return out
    }

    static func benchmarkResult(_ site: Site, _ bench: RunLookup.Run, _ r: PageRequest) throws -> Markup {
        let info =
            try site.store.query(
                """
                SELECT benchmark, split, coalesce(model, checkpoint), resolved, total, resolved_pct, ids_sha256,
                       checkpoint, checkpoint_version, of_run, of_run_version
                FROM benchmark_results WHERE name = ? AND version = ?
                """, [.text(bench.name), .integer(bench.version)]
            ).first ?? []
        // The result's id lists are one small blob (a benchmark's ids): paged by key in memory.
        let scored = LeaderboardPage.scored(info.count > 6 ? info[6].stringValue : nil, log: site.store.log)
        let after = r["after"] ?? ""
        let all = (scored?.instances ?? []).sorted().filter { $0 > after }
        let shown = all.prefix(site.pageSize)
        let cells: [[Markup]] = shown.map { id in
            [
                H.td(H.a(Link.instance(id), id)), H.td(repoOf(id)),
                H.td(scored!.resolved.contains(id) ? "resolved" : "unresolved"),
            ]
        }
        let base = Link.run(bench.label)
        return Layout.page(
            bench.label,
            [
                H.h1("Benchmark result \(bench.label)"),
                H.facts(
                    [
                        ("benchmark", info.isEmpty ? .empty : H.a(Link.leaderboard(info[0].cell), info[0].cell)),
                        ("split", Markup(info.count > 1 ? info[1].cell : "")),
                        ("model / checkpoint", Markup(info.count > 2 ? info[2].cell : "")),
                        (
                            "resolved",
                            Markup(
                                info.count > 5
                                    ? "\(info[3].cell) of \(info[4].cell) (\(Num.pct(info[5].doubleValue)))" : ""
                            )
                        ),
                        ("lineage", H.a(Link.lineage("bench", bench.label), "lineage of \(bench.label)")),
                    ] + resultLinks(info)),
                scored == nil ? H.p("This result has no per-instance lists.") : .empty,
                H.table(["instance", "repo", "verdict"], cells, id: "instances"),
                Layout.next(all.count > site.pageSize ? Link.with(base, ["after": shown.last!]) : nil),
            ])
    }
}
