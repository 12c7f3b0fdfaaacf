import SmithProjections

/// `/checkpoints/<name>`: one checkpoint — what it trained on (SFT set, or a DPO recipe's preference data), the
/// checkpoint it started from, its results and inference runs — and its training curve, one server-drawn chart
/// per metric of `training_metrics`.
///
/// A chart holds at most about ``maxPoints`` points whatever the run's length (min/max per bucket, so spikes
/// stay); a checkpoint without a recorded curve (SWE-smith's configs log to W&B) says so.
enum CheckpointPage {
    static let maxPoints = 1_000

    static func render(_ site: Site, name: String) throws -> Markup {
        guard let c = try RunLookup.find("checkpoints", name, site.store) else {
            throw PageNotFound("no checkpoint named '\(name)'")
        }
        guard
            let row = try site.store.query(
                """
                SELECT retracted, base_model, lr, epoch, sft_dataset, sft_dataset_version, sft_match, data_kind,
                       data_sha256, parent_checkpoint, parent_checkpoint_version, data_files, dir, config_sha256
                FROM checkpoints WHERE name = ? AND version = ?
                """, [.text(c.name), .integer(c.version)]
            ).first
        else { throw PageNotFound("no checkpoint named '\(name)'") }

        var facts: [(String, Markup)] = []
        if let why = row[0].stringValue { facts.append(("retracted", Markup(why))) }
        facts.append(("base model", Markup(row[1].cell)))
        if let parent = row[9].stringValue {
            let label = SftPage.pinned(parent, row[10])
            facts.append(("parent checkpoint", H.a(Link.checkpoint(label), label)))
        }
        let kind = row[7].stringValue ?? "sft"
        facts.append(("data kind", Markup(kind)))
        if let set = row[4].stringValue {
            let label = SftPage.pinned(set, row[5])
            facts.append(("SFT set", .group([H.a(Link.sft(label), label), Markup(" (matched by \(row[6].cell))")])))
        } else if kind != "preference" {
            facts.append(("SFT set", Markup("not matched to a recorded SFT set (sft_match: \(row[6].cell))")))
        }
        if let sha = row[8].stringValue { facts.append(("data sha256", H.code(sha))) }
        if let files = row[11].stringValue { facts.append(("data files", H.code(files))) }
        facts.append(("learning rate", Markup(row[2].doubleValue.map(LineChart.label) ?? "")))
        facts.append(("epoch", Markup(row[3].cell)))
        if let dir = row[12].stringValue { facts.append(("folder", H.code(dir))) }
        facts.append(("config sha256", H.code(row[13].cell)))
        facts.append(("lineage", H.a(Link.lineage("checkpoint", c.label), "lineage of \(c.label)")))

        var body: [Markup] = [H.h1("Checkpoint \(c.label)"), H.facts(facts)]
        body += try uses(site, c)
        body.append(H.h2("Training curve"))
        body += try curve(site, c)
        return Layout.page("Checkpoint \(c.label)", body)
    }

    /// Checkpoints started from this one, its benchmark results and its inference runs, as link lists.
    static func uses(_ site: Site, _ c: RunLookup.Run) throws -> [Markup] {
        let args: [SQLValue] = [.text(c.name), .integer(c.version), .text(c.label)]
        let children = try site.store.query(
            """
            SELECT name, version FROM checkpoints
            WHERE (parent_checkpoint = ?1 AND parent_checkpoint_version = ?2) OR parent_checkpoint = ?3
            ORDER BY name, version
            """, args)
        let results = try site.store.query(
            """
            SELECT name, version, benchmark, resolved_pct, of_run, of_run_version FROM benchmark_results
            WHERE (checkpoint = ?1 AND checkpoint_version = ?2) OR checkpoint = ?3 ORDER BY name, version
            """, args)
        let runs = try site.store.query(
            """
            SELECT name, version FROM runs
            WHERE (checkpoint = ?1 AND checkpoint_version = ?2) OR checkpoint = ?3 ORDER BY name, version
            """, args)
        var out: [Markup] = []
        func label(_ r: [SQLValue]) -> String { SftPage.pinned(r[0].cell, r[1]) }
        if !children.isEmpty {
            out.append(H.h2("Checkpoints trained from it"))
            out.append(.el("ul", [:], children.map { .el("li", [:], [H.a(Link.checkpoint(label($0)), label($0))]) }))
        }
        if !results.isEmpty {
            out.append(H.h2("Benchmark results"))
            out.append(
                H.table(
                    ["result", "benchmark", "resolved %", "inference run"],
                    results.map { r in
                        let run = r[4].stringValue.map { SftPage.pinned($0, r[5]) }
                        return [
                            H.td(H.a(Link.run(label(r)), label(r))), H.td(H.a(Link.leaderboard(r[2].cell), r[2].cell)),
                            H.td(Num.pct(r[3].doubleValue), class: "num"),
                            H.td(run.map { H.a(Link.run($0), $0) } ?? .empty),
                        ]
                    }, id: "checkpoint-results"))
        }
        if !runs.isEmpty {
            out.append(H.h2("Inference runs"))
            out.append(.el("ul", [:], runs.map { .el("li", [:], [H.a(Link.run(label($0)), label($0))]) }))
        }
        return out
    }

    /// One chart per metric, in the order the log first wrote them; a note when no curve is recorded.
    static func curve(_ site: Site, _ c: RunLookup.Run) throws -> [Markup] {
        let key: [SQLValue] = [.text(c.name), .integer(c.version)]
        let metrics = try self.metrics(site, key)
        guard !metrics.isEmpty else {
            return [
                .el(
                    "p", ["class": "no-curve"],
                    [
                        Markup(
                            "No training curve is recorded for this checkpoint. SWE-smith's configs log metrics to "
                                + "W&B; a torchtune DiskLogger log is recorded with "),
                        H.code("smithlog checkpoint record --metrics LOG"), Markup("."),
                    ])
            ]
        }
        var out: [Markup] = []
        for m in metrics {
            let series =
                m.count <= maxPoints
                ? try everyValue(site, key + [.text(m.name)])
                : try bucketed(site, key + [.text(m.name)], lo: m.lo, hi: m.hi, buckets: maxPoints / 2)
            var note = "\(m.count) values"
            if m.count > maxPoints { note += ", \(series.points.count) points drawn (lowest and highest per bucket)" }
            if series.gaps > 0 { note += ", \(series.gaps) nan or infinite (gaps)" }
            out.append(
                .el(
                    "section", ["class": "metric"],
                    [
                        .el("h3", [:], [H.code(m.name), Markup(" · " + note)]),
                        LineChart.svg(series.points, title: "\(m.name) by step, \(c.label)", xLabel: "step"),
                    ]))
        }
        return out
    }

    /// The metrics of a checkpoint's curve with their value count and first and last step, in the order the log
    /// first wrote them. Each is found by seeks in `training_metrics_by_checkpoint` (the next name after the
    /// last), not by a pass over every row.
    static func metrics(_ site: Site, _ key: [SQLValue]) throws -> [(name: String, count: Int, lo: Int64, hi: Int64)] {
        let names = try site.store.query(
            """
            WITH RECURSIVE m(name) AS (
                SELECT min(name) FROM training_metrics WHERE checkpoint = ?1 AND checkpoint_version = ?2
                UNION ALL
                SELECT (SELECT min(name) FROM training_metrics
                        WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name > m.name)
                FROM m WHERE m.name IS NOT NULL)
            SELECT name,
                (SELECT count(*) FROM training_metrics
                 WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = m.name),
                (SELECT min(step) FROM training_metrics
                 WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = m.name),
                (SELECT max(step) FROM training_metrics
                 WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = m.name),
                (SELECT line FROM training_metrics
                 WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = m.name ORDER BY step LIMIT 1) AS first,
                (SELECT rowid FROM training_metrics
                 WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = m.name ORDER BY step LIMIT 1) AS id
            FROM m WHERE name IS NOT NULL ORDER BY first, id
            """, key)
        return names.compactMap { r in
            guard let name = r[0].stringValue, let count = r[1].int, let lo = r[2].int64Value,
                let hi = r[3].int64Value
            else { return nil }
            return (name, count, lo, hi)
        }
    }

    /// A finite value, else NULL (`nan` is stored as NULL, infinities as SQLite's Inf): the points a line joins.
    static let finite = "CASE WHEN abs(value) < 1e308 THEN value END"

    /// Every value of one metric (`key`: checkpoint, version, name), by step.
    static func everyValue(_ site: Site, _ key: [SQLValue]) throws -> (points: [LineChart.Point], gaps: Int) {
        let rows = try site.store.query(
            """
            SELECT step, \(finite) FROM training_metrics
            WHERE checkpoint = ? AND checkpoint_version = ? AND name = ? ORDER BY step
            """, key)
        let points = rows.map { LineChart.Point(x: Double($0[0].int ?? 0), y: $0[1].doubleValue) }
        return (points, points.filter { $0.y == nil }.count)
    }

    /// One metric thinned by SQLite in one pass: the steps `lo...hi` cut into `buckets` of equal width, each
    /// drawn as its lowest and highest value at the bucket's middle step (so a one-step spike stays) and a gap
    /// where it holds a `nan`; at most 3 points a bucket reach Swift however long the run.
    static func bucketed(
        _ site: Site, _ key: [SQLValue], lo: Int64, hi: Int64, buckets: Int
    ) throws -> (points: [LineChart.Point], gaps: Int) {
        let rows = try site.store.query(
            """
            SELECT min(v), max(v), min(step), max(step), sum(v IS NULL), min(CASE WHEN v IS NULL THEN step END)
            FROM (SELECT (step - ?4) * ?5 / ?6 AS b, step, \(finite) AS v FROM training_metrics
                  WHERE checkpoint = ?1 AND checkpoint_version = ?2 AND name = ?3)
            GROUP BY b ORDER BY b
            """, key + [.integer(lo), .integer(Int64(buckets)), .integer(hi - lo + 1)])
        var points: [LineChart.Point] = []
        var gaps = 0
        for r in rows {
            guard let first = r[2].doubleValue, let last = r[3].doubleValue else { continue }
            let middle = (first + last) / 2
            var here: [LineChart.Point] = []
            if let low = r[0].doubleValue, let high = r[1].doubleValue {
                // The one nearer the line so far first, so the envelope does not zigzag.
                let previous = points.last?.y ?? low
                let lowFirst = abs(previous - low) <= abs(previous - high)
                here = [LineChart.Point(x: middle, y: lowFirst ? low : high)]
                if high != low { here.append(LineChart.Point(x: middle, y: lowFirst ? high : low)) }
            }
            if let missing = r[4].int, missing > 0 {
                gaps += missing
                let gap = LineChart.Point(x: r[5].doubleValue ?? middle, y: nil)
                if gap.x < middle { here.insert(gap, at: 0) } else { here.append(gap) }
            }
            points += here
        }
        return (points, gaps)
    }
}
