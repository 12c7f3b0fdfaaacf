import SmithProjections
import SmithQueries
import SmithStore

/// `/runs`: trajectory runs, eval runs and benchmark results, each a keyset-paged table
/// (`?kind=traj|eval|bench&after=NAME`); trajectory runs filter by model, subset and dataset.
enum RunsPage {
    static func render(_ site: Site, _ r: PageRequest) throws -> Markup {
        let kind = r["kind"]
        var body: [Markup] = [H.h1("Runs")]
        body.append(
            filterForm(
                "/runs",
                [
                    ("model", "model", r["model"]), ("subset", "subset", r["subset"]),
                    ("dataset", "dataset", r["dataset"]),
                ],
                hidden: [("kind", "traj")]))
        let counts = VerdictCounts()
        if kind == nil || kind == "traj" { body += try trajectoryRuns(site, r, counts) }
        if kind == nil || kind == "eval" { body += try evalRuns(site, r, counts) }
        if kind == nil || kind == "bench" { body += try benchmarkResults(site, r) }
        guard kind == nil || ["traj", "eval", "bench"].contains(kind!) else {
            throw BadPageRequest("kind=\(kind!): expected traj, eval or bench")
        }
        return Layout.page("Runs", body)
    }

    /// The next-page link of a section, when it had one row more than a page.
    static func next(_ r: PageRequest, kind: String, _ rows: [[SQLValue]], _ size: Int) -> Markup {
        guard rows.count > size, let last = rows[size - 1][0].stringValue else { return .empty }
        return Layout.next(
            Link.with(
                "/runs",
                ["kind": kind, "after": last, "model": r["model"], "subset": r["subset"], "dataset": r["dataset"]]))
    }

    /// Verdicts and resolved verdicts per eval run version, counted once per request: both sections show them.
    final class VerdictCounts {
        private var known: [String: (verdicts: Int, resolved: Int)] = [:]

        func of(_ name: String, _ version: Int64, _ store: WebStore) throws -> (verdicts: Int, resolved: Int) {
            if let c = known["\(name)@\(version)"] { return c }
            let row =
                try store.query(
                    "SELECT count(*), coalesce(sum(resolved), 0) FROM verdicts WHERE eval_run = ? AND eval_version = ?",
                    [.text(name), .integer(version)]
                ).first ?? []
            let c = (row.first?.int ?? 0, row.count > 1 ? row[1].int ?? 0 : 0)
            known["\(name)@\(version)"] = c
            return c
        }
    }

    static func trajectoryRuns(_ site: Site, _ r: PageRequest, _ counts: VerdictCounts) throws -> [Markup] {
        let size = site.pageSize
        let after = r["kind"] == "traj" ? r["after"] ?? "" : ""
        let rows = try site.store.query(
            """
            SELECT r.name, r.version, r.model, r.config_json, r.subset, r.subset_version, r.instances, s.members,
                   s.dataset, s.name, s.definition
            FROM runs r LEFT JOIN subsets s
              ON s.version = r.subset_version AND (s.name = r.subset OR s.name || '@' || s.version = r.subset)
            WHERE r.latest = 1 AND r.name > ?1 AND (?2 IS NULL OR r.model = ?2) AND (?3 IS NULL OR r.subset = ?3)
              AND (?4 IS NULL OR s.dataset = ?4)
            ORDER BY r.name LIMIT ?5
            """,
            [
                .text(after), SQLValue(r["model"]), SQLValue(r["subset"]), SQLValue(r["dataset"]),
                .integer(Int64(size + 1)),
            ])
        var cells: [[Markup]] = []
        for row in rows.prefix(size) {
            let name = row[0].cell
            let version = row[1].int64Value ?? 1
            let run = RunLookup.Run(name: name, version: version)
            let present = row[6].int ?? 0
            // Present members of the subset: an indexed count per run, never the rows themselves. The run records
            // its subset as given (`NAME@N` when matched): members are those of that version's definition. The
            // members in order, each looked up among the run's trajectories by its key (CROSS JOIN keeps SQLite
            // from starting at the run's trajectories and probing the members' instance index, 5x slower); still
            // about 2 ms a run at a team's size, so kept until the projections change (``WebStore/cachedQuery``).
            var missing = ""
            if let subset = row[9].stringValue, let definition = row[10].stringValue, let members = row[7].int {
                let covered =
                    try site.store.cachedQuery(
                        """
                        SELECT count(*) FROM subset_members m CROSS JOIN trajectories t
                          ON t.run = ?1 AND t.instance_id = m.instance_id
                        WHERE m.subset = ?3 AND m.definition = ?4 AND t.run_version = ?2
                        """, [.text(name), .integer(version), .text(subset), .text(definition)]
                    ).first?.first?.int ?? 0
                missing = String(members - covered)
            }
            // One pass over the run's trajectories (index `trajectories_by_run` alone): the exit-status histogram,
            // and the cost and steps summed per status, added up here for the run's total cost and mean steps.
            let groups = try site.store.cachedQuery(
                """
                SELECT coalesce(exit_status, '(none)'), count(*), sum(instance_cost), sum(steps) FROM trajectories
                WHERE run = ? AND run_version = ? GROUP BY 1 ORDER BY 2 DESC
                """, [.text(name), .integer(version)])
            let histogram = groups.map { "\($0[0].cell) \($0[1].cell)" }.joined(separator: ", ")
            let costs = groups.compactMap { $0[2].doubleValue }
            let cost: Double? = costs.isEmpty ? nil : costs.reduce(0, +)
            let trajectoryCount = groups.reduce(0) { $0 + ($1[1].int ?? 0) }
            let stepCount = groups.reduce(Int64(0)) { $0 + ($1[3].int64Value ?? 0) }
            let meanSteps: Double? = trajectoryCount > 0 ? Double(stepCount) / Double(trajectoryCount) : nil
            var resolvedCell: Markup = .empty
            if let eval = try RunLookup.evaluation(of: run, site.store) {
                let (n, k) = try counts.of(eval.name, eval.version, site.store)
                resolvedCell = .group([
                    Markup(n > 0 ? Num.pct(100 * Double(k) / Double(n)) + " (\(Num.ci(k, n))) " : ""),
                    H.a(Link.run(eval.label), "eval " + eval.label, class: "muted"),
                ])
            }
            let config = row[3].stringValue.map { String(Digest.sha256(Array($0.utf8)).hex.prefix(12)) } ?? ""
            cells.append([
                H.td(H.a(Link.run(run.label), run.label)), H.td(row[2].cell), H.td(config, class: "muted"),
                H.td(row[4].stringValue.map { SftPage.pinned($0, row[5]) } ?? ""),
                H.td(row[7].cell, class: "num"), H.td(String(present), class: "num"), H.td(missing, class: "num"),
                H.td(histogram), H.td(resolvedCell),
                H.td(Num.money(cost), class: "num"),
                H.td(meanSteps.map { Format.fixed($0, 1) } ?? "", class: "num"),
            ])
        }
        return [
            H.h2("Trajectory runs"),
            H.table(
                [
                    "run", "model", "config", "subset", "expected", "present", "missing", "exit statuses",
                    "resolved (95% CI)", "cost", "mean steps",
                ], cells, id: "traj-runs"),
            next(r, kind: "traj", rows, size),
        ]
    }

    static func evalRuns(_ site: Site, _ r: PageRequest, _ counts: VerdictCounts) throws -> [Markup] {
        let size = site.pageSize
        let after = r["kind"] == "eval" ? r["after"] ?? "" : ""
        let rows = try site.store.query(
            """
            SELECT e.name, e.version, e.of_run, e.of_run_version, e.model, e.layout
            FROM eval_runs e WHERE e.latest = 1 AND e.name > ?1 ORDER BY e.name LIMIT ?2
            """, [.text(after), .integer(Int64(size + 1))])
        let cells: [[Markup]] = try rows.prefix(size).map { row in
            let label = "\(row[0].cell)@\(row[1].cell)"
            let (n, k) = try counts.of(row[0].cell, row[1].int64Value ?? 1, site.store)
            let ofRun = row[2].stringValue.map { run -> Markup in
                let bare = run.split(separator: "@").first.map(String.init) ?? run
                let l = row[3].int64Value.map { "\(bare)@\($0)" } ?? run
                return H.a(Link.run(l), l)
            }
            return [
                H.td(H.a(Link.run(label), label)), H.td(ofRun ?? .empty), H.td(row[4].cell), H.td(row[5].cell),
                H.td(String(n), class: "num"), H.td(String(k), class: "num"),
                H.td(n > 0 ? Num.pct(100 * Double(k) / Double(n)) : "", class: "num"), H.td(Num.ci(k, n), class: "num"),
            ]
        }
        return [
            H.h2("Eval runs"),
            H.table(
                ["eval run", "of run", "model", "layout", "verdicts", "resolved", "resolved %", "95% CI"], cells,
                id: "eval-runs"),
            next(r, kind: "eval", rows, size),
        ]
    }

    static func benchmarkResults(_ site: Site, _ r: PageRequest) throws -> [Markup] {
        let size = site.pageSize
        let after = r["kind"] == "bench" ? r["after"] ?? "" : ""
        let rows = try site.store.query(
            """
            SELECT name, version, benchmark, split, coalesce(model, checkpoint), resolved, total, resolved_pct, ci_low,
                   ci_high, cost
            FROM benchmark_results WHERE latest = 1 AND name > ?1 ORDER BY name LIMIT ?2
            """, [.text(after), .integer(Int64(size + 1))])
        let cells: [[Markup]] = rows.prefix(size).map { row in
            let label = "\(row[0].cell)@\(row[1].cell)"
            return [
                H.td(H.a(Link.run(label), label)), H.td(H.a(Link.leaderboard(row[2].cell), row[2].cell)),
                H.td(row[3].cell), H.td(row[4].cell), H.td(row[5].cell, class: "num"), H.td(row[6].cell, class: "num"),
                H.td(Num.pct(row[7].doubleValue), class: "num"),
                H.td(
                    row[8].doubleValue.map { lo in
                        "\(Format.fixed(lo, 1))–\(Format.fixed(row[9].doubleValue ?? 0, 1))"
                    } ?? "", class: "num"),
                H.td(Num.money(row[10].doubleValue), class: "num"),
            ]
        }
        return [
            H.h2("Benchmark results"),
            H.table(
                [
                    "result", "benchmark", "split", "model / checkpoint", "resolved", "total", "resolved %", "95% CI",
                    "cost",
                ],
                cells, id: "bench-results"),
            next(r, kind: "bench", rows, size),
        ]
    }
}
