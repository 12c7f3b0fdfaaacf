import SmithDomain
import SmithJSON
import SmithProjections
import SmithQueries
import SmithStore

/// `/leaderboard/<benchmark>`: results ranked by resolved % of the full benchmark, Wilson 95% CI, which rows are
/// statistically tied with the top row (paired exact McNemar), lineage as links.
enum LeaderboardPage {
    static func index(_ site: Site) throws -> Markup {
        let benchmarks = try site.store.read { _, p in try KnownValues.benchmarks(p) }
        return Layout.page(
            "Leaderboards",
            [
                H.h1("Leaderboards"),
                benchmarks.isEmpty
                    ? H.p("No benchmark result is recorded yet.")
                    : .el("ul", [:], benchmarks.map { .el("li", [:], [H.a(Link.leaderboard($0), $0)]) }),
            ])
    }

    /// The per-instance lists of a result (from its id-list blob): every instance scored and those resolved.
    struct Scored {
        var instances: Set<String>
        var resolved: Set<String>
    }

    static func scored(_ idsHex: String?, log: EventLog) -> Scored? {
        guard let hex = idsHex, let digest = Digest(hex: hex), let bytes = try? log.blob(digest),
            let lists = try? JSONParser.parse(bytes)
        else { return nil }
        func ids(_ key: String) -> [String] { lists[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let resolved = Set(ids("resolved_ids"))
        let all = resolved.union(ids("unresolved_ids")).union(ids("error_ids")).union(ids("empty_patch_ids"))
            .union(ids("submitted_ids")).union(ids("completed_ids"))
        guard !all.isEmpty else { return nil }
        return Scored(instances: all, resolved: resolved)
    }

    /// The exact McNemar p of `a` against `b` over the instances both were scored on.
    static func pValue(_ a: Scored, _ b: Scored) -> Double {
        let both = a.instances.intersection(b.instances)
        let onlyA = a.resolved.intersection(both).subtracting(b.resolved).count
        let onlyB = b.resolved.intersection(both).subtracting(a.resolved).count
        return McNemar.exactPValue(b: onlyA, c: onlyB)
    }

    static func render(_ site: Site, benchmark: String) throws -> Markup {
        let rows = try site.store.read { _, p in try Leaderboard.rows(benchmark: benchmark, projections: p) }
        guard !rows.isEmpty else { throw PageNotFound("no benchmark result is recorded for '\(benchmark)'") }
        // Each result's id lists (parsed once per process: `ScoredListCache`), for the ties with the top row.
        var lists: [String: Scored] = [:]
        for r in rows {
            let hex = try site.store.query(
                "SELECT ids_sha256 FROM benchmark_results WHERE name = ? AND version = ?",
                [.text(r.name), .integer(Int64(r.version))]
            ).first?.first?.stringValue
            guard let hex else { continue }
            lists["\(r.name)@\(r.version)"] = site.store.scoredLists.lists(hex) { scored(hex, log: site.store.log) }
        }
        var body: [Markup] = [H.h1("Leaderboard: \(benchmark)")]
        body.append(
            H.p(
                "Resolved % of the full benchmark with its 95% Wilson interval. A row is tied with the top row "
                    + "when the exact McNemar test over the instances both were scored on gives p ≥ 0.05."))
        for split in Set(rows.map(\.split)).sorted() {
            let group = rows.filter { $0.split == split }
            let top = group[0]
            body.append(H.h2("split \(split)"))
            let header = [
                "rank", "result", "model / checkpoint", "resolved", "total", "resolved %", "95% CI", "vs top",
                "cost", "SFT set", "trajectory run",
            ]
            let cells: [[Markup]] = group.map { r in
                let key = "\(r.name)@\(r.version)"
                let lineage = lineageLinks(r)
                var tie = "—"
                if key == "\(top.name)@\(top.version)" {
                    tie = "top"
                } else if let a = lists["\(top.name)@\(top.version)"], let b = lists[key] {
                    let p = pValue(a, b)
                    tie = (p >= 0.05 ? "tied" : "worse") + ", p = " + McNemar.format(p)
                }
                let who: Markup
                if let c = r.checkpoint {
                    who = .group([
                        H.a(Link.checkpoint(label(c, r.checkpointVersion)), label(c, r.checkpointVersion)),
                        Markup(r.baseModel.map { " (\($0))" } ?? ""), Markup(" "),
                        H.a(Link.lineage("checkpoint", label(c, r.checkpointVersion)), "lineage", class: "muted"),
                    ])
                } else {
                    who = Markup(r.model ?? "")
                }
                return [
                    H.td(String(r.rank), class: "num"),
                    H.td(
                        .group([
                            H.a(Link.run(key), key), Markup(" "),
                            H.a(Link.lineage("bench", key), "lineage", class: "muted"),
                        ])),
                    H.td(who), H.td(String(r.resolved), class: "num"), H.td(String(r.total), class: "num"),
                    H.td(Num.pct(r.resolvedPct), class: "num"),
                    H.td("\(Format.fixed(r.ciLow, 1))–\(Format.fixed(r.ciHigh, 1))", class: "num"),
                    H.td(
                        tie == "top" || tie == "—"
                            ? Markup(tie) : H.a(Link.compare("\(top.name)@\(top.version)", key), tie)),
                    H.td(Num.money(r.cost), class: "num"),
                    H.td(lineage.sft.map { H.a(Link.sft($0), $0) } ?? .empty),
                    H.td(lineage.traj.map { H.a(Link.run($0), $0) } ?? .empty),
                ]
            }
            body.append(H.table(header, cells, id: "leaderboard"))
        }
        return Layout.page("Leaderboard \(benchmark)", body)
    }

    /// The SFT set and trajectory run behind a result, `NAME@N`, from the leaderboard's lineage columns.
    static func lineageLinks(_ r: Leaderboard.Row) -> (sft: String?, traj: String?) {
        (r.sftDataset.map { label($0, r.sftDatasetVersion) }, r.trajRun.map { label($0, r.trajRunVersion) })
    }

    static func label(_ name: String, _ version: Int?) -> String {
        let bare = name.split(separator: "@").first.map(String.init) ?? name
        return version.map { "\(bare)@\($0)" } ?? name
    }
}
