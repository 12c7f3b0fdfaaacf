import SmithDomain
import SmithIngest
import SmithProjections
import SmithQueries
import SmithStore

/// `/sft`, `/sft/<name>`, `/sft/<name>/download`, `/sft-diff?a=&b=`: SFT datasets, their make-up, export hash, a
/// download byte-identical to `sft export` (streamed from the log through the same code path) and the
/// difference between two sets.
enum SftPage {
    static func index(_ site: Site, _ r: PageRequest) throws -> Markup {
        let rows = try site.store.query(
            """
            SELECT name, version, transform, traj_run, traj_run_version, eval_run, eval_run_version, lines, retracted
            FROM sft_datasets WHERE latest = 1 AND name > ? ORDER BY name LIMIT ?
            """, [.text(r["after"] ?? ""), .integer(Int64(site.pageSize + 1))])
        let shown = rows.prefix(site.pageSize)
        let cells: [[Markup]] = shown.map { row in
            let label = "\(row[0].cell)@\(row[1].cell)"
            return [
                H.td(H.a(Link.sft(label), label)), H.td(row[2].cell),
                H.td(row[3].stringValue.map { H.a(Link.run(pinned($0, row[4])), pinned($0, row[4])) } ?? .empty),
                H.td(row[5].stringValue.map { H.a(Link.run(pinned($0, row[6])), pinned($0, row[6])) } ?? .empty),
                H.td(row[7].cell, class: "num"), H.td(row[8].cell),
            ]
        }
        return Layout.page(
            "SFT datasets",
            [
                H.h1("SFT datasets"),
                H.table(
                    ["dataset", "transform", "trajectory run", "eval run", "lines", "retracted"], cells, id: "sft"),
                Layout.next(rows.count > site.pageSize ? Link.with("/sft", ["after": shown.last![0].cell]) : nil),
                H.h2("Difference between two sets"),
                filterForm("/sft-diff", [("a", "A", nil), ("b", "B", nil)]),
            ])
    }

    static func pinned(_ name: String, _ version: SQLValue) -> String {
        let bare = name.split(separator: "@").first.map(String.init) ?? name
        return version.int64Value.map { "\(bare)@\($0)" } ?? name
    }

    static func render(_ site: Site, name: String, _ r: PageRequest) throws -> Markup {
        guard let set = try RunLookup.find("sft_datasets", name, site.store) else {
            throw PageNotFound("no SFT dataset is named '\(name)'")
        }
        let row =
            try site.store.query(
                """
                SELECT build, style, transform, traj_run, traj_run_version, eval_run, eval_run_version, subset,
                       subset_version, only_resolved, file_name, lines, skipped_json, combined_from_json, seq, retracted
                FROM sft_datasets WHERE name = ? AND version = ?
                """, [.text(set.name), .integer(set.version)]
            ).first ?? []
        guard row.count > 15 else { throw PageNotFound("no SFT dataset is named '\(name)'") }
        let build = row[0]
        let exportHash =
            try site.store.log.event(seq: UInt64(row[14].int64Value ?? 0)).payload()["export_sha256"]?
            .stringValue ?? ""
        // Aggregates only: one row per repo, per samples-per-instance count and per source run.
        let perInstance = try site.store.query(
            "SELECT instance_id, count(*) FROM sft_samples WHERE dataset = ? AND build = ? GROUP BY instance_id",
            [.text(set.name), build])
        var repos: [String: (instances: Int, lines: Int)] = [:]
        var histogram: [Int: Int] = [:]
        for r in perInstance {
            let n = r[1].int ?? 0
            repos[repoOf(r[0].cell), default: (0, 0)].instances += 1
            repos[repoOf(r[0].cell), default: (0, 0)].lines += n
            histogram[n, default: 0] += 1
        }
        // Each line's run looked up by event id in the base tables: joining the `trajectory_history` view made
        // SQLite build the whole view (every trajectory) and a temporary index on it for every request.
        let sources = try site.store.query(
            """
            SELECT coalesce(
                     (SELECT t.run FROM trajectories t WHERE t.event_id = s.trajectory),
                     (SELECT h.run FROM superseded_trajectories h WHERE h.event_id = s.trajectory),
                     '(unknown)'),
                   count(*)
            FROM sft_samples s WHERE s.dataset = ? AND s.build = ? GROUP BY 1 ORDER BY 2 DESC
            """, [.text(set.name), build])
        let checkpoints = try site.store.query(
            "SELECT name, version FROM checkpoints WHERE sft_dataset IN (?1, ?2) AND sft_dataset_version = ?3",
            [.text(set.name), .text(set.label), .integer(set.version)])
        return Layout.page(
            "SFT \(set.label)",
            [
                H.h1("SFT dataset \(set.label)"),
                H.facts([
                    ("file", Markup(row[10].cell)),
                    ("lines", Markup(row[11].cell)),
                    ("export SHA-256", H.code(exportHash)),
                    ("download", H.a(Link.path("sft", set.label, "download"), "download \(row[10].cell)")),
                    ("style / transform", Markup("\(row[1].cell) / \(row[2].cell)")),
                    (
                        "trajectory run",
                        row[3].stringValue.map { H.a(Link.run(pinned($0, row[4])), pinned($0, row[4])) } ?? .empty
                    ),
                    (
                        "eval run",
                        row[5].stringValue.map { H.a(Link.run(pinned($0, row[6])), pinned($0, row[6])) } ?? .empty
                    ),
                    ("subset", Markup(row[7].stringValue.map { pinned($0, row[8]) } ?? "")),
                    ("only resolved", Markup(row[9].int == 1 ? "yes" : "no")),
                    ("skipped", Markup(row[12].cell)),
                    ("combined from", Markup(row[13].cell)),
                    ("retracted", Markup(row[15].cell)),
                    ("lineage", H.a(Link.lineage("sft", set.label), "lineage of \(set.label)")),
                    (
                        "checkpoints trained on it",
                        .group(
                            checkpoints.map { c in
                                let l = "\(c[0].cell)@\(c[1].cell)"
                                return .group([H.a(Link.checkpoint(l), l), Markup(" ")])
                            })
                    ),
                ]),
                H.h2("Per source run"),
                H.table(
                    ["trajectory run", "lines"],
                    sources.map { [H.td($0[0].cell), H.td($0[1].cell, class: "num")] }, id: "sft-sources"),
                H.h2("Per repo"),
                H.table(
                    ["repo", "instances", "lines"],
                    repos.sorted { $0.key < $1.key }.map {
                        [
                            H.td($0.key), H.td(String($0.value.instances), class: "num"),
                            H.td(String($0.value.lines), class: "num"),
                        ]
                    }, id: "sft-repos"),
                H.h2("Samples per instance"),
                H.table(
                    ["samples", "instances"],
                    histogram.sorted { $0.key < $1.key }.map {
                        [H.td(String($0.key), class: "num"), H.td(String($0.value), class: "num")]
                    }, id: "sft-per-instance"),
            ])
    }

    /// The jsonl as `sft export` writes it, streamed line by line from the log and checked against the hash.
    static func download(_ site: Site, name: String) throws -> WebResponse {
        let log = site.store.log
        let source = try SftExport.source(name: name, log: log)
        return WebResponse(
            contentType: "application/x-ndjson",
            contentDisposition: "attachment; filename=\"\(source.fileName.replacingOccurrences(of: "\"", with: ""))\"",
            body: .stream { write in try source.forEachLine(log: log) { line, _ in try write(line) } })
    }

    static func diff(_ site: Site, _ r: PageRequest) throws -> Markup {
        guard let a = r["a"], let b = r["b"] else { throw BadPageRequest("expected a=NAME and b=NAME") }
        let sa = try SftExport.source(name: a, log: site.store.log)
        let sb = try SftExport.source(name: b, log: site.store.log)
        func instances(_ text: String) throws -> Set<String> {
            guard let set = try RunLookup.find("sft_datasets", text, site.store) else {
                throw PageNotFound("no SFT dataset is named '\(text)'")
            }
            return Set(
                try site.store.query(
                    """
                    SELECT DISTINCT s.instance_id FROM sft_samples s JOIN sft_datasets d
                      ON d.build = s.build WHERE d.name = ? AND d.version = ?
                    """, [.text(set.name), .integer(set.version)]
                ).map { $0[0].cell })
        }
        let ia = try instances(a)
        let ib = try instances(b)
        let la = Set(sa.lines)
        let lb = Set(sb.lines)
        let added = ib.subtracting(ia).sorted()
        let removed = ia.subtracting(ib).sorted()
        func list(_ ids: [String]) -> Markup {
            .el(
                "ul", [:],
                ids.prefix(site.pageSize).map { .el("li", [:], [H.a(Link.instance($0), $0)]) }
                    + (ids.count > site.pageSize ? [.el("li", text: "… and \(ids.count - site.pageSize) more")] : []))
        }
        return Layout.page(
            "SFT \(sa.version) vs \(sb.version)",
            [
                H.h1("SFT \(sa.version) → \(sb.version)"),
                H.facts([
                    ("lines added", Markup(String(lb.subtracting(la).count))),
                    ("lines removed", Markup(String(la.subtracting(lb).count))),
                    ("lines in both", Markup(String(la.intersection(lb).count))),
                    ("instances added", Markup(String(added.count))),
                    ("instances removed", Markup(String(removed.count))),
                ]),
                H.h2("Instances added"), list(added),
                H.h2("Instances removed"), list(removed),
            ])
    }
}
