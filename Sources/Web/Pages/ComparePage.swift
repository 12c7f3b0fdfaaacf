import SmithDomain
import SmithJSON
import SmithProjections
import SmithQueries

/// `/compare?a=&b=`: two trajectory runs, eval runs or benchmark results instance by instance: the 2x2 table,
/// exact McNemar p, per-repo counts, improved/regressed lists; each instance opens both trajectories side by side
/// (`/compare/trajectories?a=&b=&instance=`) with the first step where they differ marked.
enum ComparePage {
    static func render(_ site: Site, _ r: PageRequest) throws -> Markup {
        guard let a = r["a"], let b = r["b"] else {
            return Layout.page(
                "Compare",
                [
                    H.h1("Compare two runs"),
                    filterForm("/compare", [("a", "A", r["a"]), ("b", "B", r["b"])]),
                    H.p("Names of two trajectory runs, eval runs or benchmark results (NAME or NAME@N)."),
                ])
        }
        let result: RunComparison.Result
        do {
            result = try site.store.read { log, p in try RunComparison.compare(a, b, log: log, projections: p) }
        } catch let e as QueryError {
            throw BadPageRequest(e.message)
        }
        let union = result.a.instances.union(result.b.instances)
        let resolvedEither = result.a.resolved.union(result.b.resolved)
        let neither = union.subtracting(resolvedEither).count
        let runA = try trajectoryRun(of: result.a, site)
        let runB = try trajectoryRun(of: result.b, site)
        // improved: resolved by B only; regressed: by A only.
        let show = r["show"] ?? "changed"
        let ids: [String]
        switch show {
        case "improved": ids = result.onlyB
        case "regressed": ids = result.onlyA
        case "changed": ids = (result.onlyA + result.onlyB).sorted()
        case "all": ids = union.sorted()
        default: throw BadPageRequest("show=\(show): expected improved, regressed, changed or all")
        }
        let after = r["after"] ?? ""
        let rest = ids.filter { $0 > after }
        let page = rest.prefix(site.pageSize)
        // A flipped instance's two recorded trajectories (for benchmark results: of their inference runs).
        var flips: [String: RunComparison.Flip] = [:]
        for f in result.flips { flips[f.instance] = f }
        let cells: [[Markup]] = page.map { id in
            let inA = result.a.resolved.contains(id)
            let inB = result.b.resolved.contains(id)
            var open: Markup = .empty
            if let f = flips[id], let ta = f.a, let tb = f.b {
                open = H.a(
                    Link.with("/compare/trajectories", ["a": ta.run, "b": tb.run, "instance": id]), "side by side")
            } else if let f = flips[id], f.a != nil || f.b != nil {
                // Only one side's trajectory is recorded: open that one.
                let (side, t) = f.a.map { ("A", $0) } ?? ("B", f.b!)
                open = H.a(Link.trajectory(t.run, id), "\(side)'s trajectory")
            } else if let runA, let runB {
                open = H.a(Link.with("/compare/trajectories", ["a": runA, "b": runB, "instance": id]), "side by side")
            }
            return [
                H.td(H.a(Link.instance(id), id)), H.td(repoOf(id)), H.td(inA ? "resolved" : "—"),
                H.td(inB ? "resolved" : "—"), H.td(inA == inB ? "same" : inB ? "improved" : "regressed"), H.td(open),
            ]
        }
        let base = "/compare"
        let tabs: [Markup] = ["changed", "improved", "regressed", "all"].map { s in
            .el(
                "span", ["class": s == show ? "pill on" : "pill"],
                [H.a(Link.with(base, ["a": a, "b": b, "show": s]), s)])
        }
        func sideLine(_ s: RunComparison.Side) -> Markup {
            let pct = s.total > 0 ? 100 * Double(s.resolved.count) / Double(s.total) : 0
            let text =
                "\(s.name) (\(s.kind.rawValue)): \(s.resolved.count)/\(s.total) resolved (\(Format.fixed(pct, 1))%)"
                + (s.cost.map { ", cost $" + Format.fixed($0, 2) } ?? "")
            guard s.kind == .benchmark, let run = s.trajectoryRun else { return Markup(text) }
            let label = "\(run.name)@\(run.version)"
            return .group([Markup(text + ", predictions of inference run "), H.a(Link.run(label), label)])
        }
        return Layout.page(
            "Compare \(a) vs \(b)",
            [
                H.h1("Compare \(result.a.name) vs \(result.b.name)"),
                .el("p", ["class": "side-a"], [Markup("A: "), sideLine(result.a)]),
                .el("p", ["class": "side-b"], [Markup("B: "), sideLine(result.b)]),
                H.table(
                    ["", "B resolved", "B not resolved"],
                    [
                        [
                            .el("th", text: "A resolved"), H.td(String(result.both), class: "num"),
                            H.td(String(result.onlyA.count), class: "num"),
                        ],
                        [
                            .el("th", text: "A not resolved"), H.td(String(result.onlyB.count), class: "num"),
                            H.td(String(neither), class: "num"),
                        ],
                    ], id: "two-by-two"),
                H.p(
                    "Exact McNemar p = \(McNemar.format(result.pValue)) (over the \(result.onlyA.count + result.onlyB.count) discordant instances)."
                ),
                H.h2("Per repo"),
                H.table(
                    ["repo", "A resolved", "B resolved", "instances"],
                    result.perRepo.map {
                        [
                            H.td($0.repo), H.td(String($0.a), class: "num"), H.td(String($0.b), class: "num"),
                            H.td(String($0.instances), class: "num"),
                        ]
                    }, id: "per-repo"),
                H.h2("Instances"),
                .el("p", [:], tabs),
                H.table(["instance", "repo", "A", "B", "change", ""], cells, id: "compare-instances"),
                Layout.next(
                    rest.count > site.pageSize
                        ? Link.with(base, ["a": a, "b": b, "show": show, "after": page.last!]) : nil),
            ])
    }

    /// The trajectory run (`NAME@N`) behind a side: itself, the run an eval run evaluated, or the inference run
    /// whose predictions a benchmark result scored (nil when it names none).
    static func trajectoryRun(of side: RunComparison.Side, _ site: Site) throws -> String? {
        switch side.kind {
        case .trajectoryRun: return side.name
        case .benchmark: return side.trajectoryRun.map { "\($0.name)@\($0.version)" }
        case .evalRun:
            let v = VersionedName(parsing: side.name)
            guard
                let row = try site.store.query(
                    "SELECT of_run, of_run_version FROM eval_runs WHERE name = ? AND version = ?",
                    [.text(v.name), SQLValue(v.version)]
                ).first, let run = row[0].stringValue
            else { return nil }
            let bare = run.split(separator: "@").first.map(String.init) ?? run
            return row[1].int64Value.map { "\(bare)@\($0)" } ?? run
        }
    }

    /// `/compare/trajectories?a=RUN&b=RUN&instance=ID`: both trajectories in two columns, from a little before the
    /// first step whose action or observation differs (marked), a page of steps each.
    static func sideBySide(_ site: Site, _ r: PageRequest) throws -> Markup {
        guard let a = r["a"], let b = r["b"], let id = r["instance"] else {
            throw BadPageRequest("expected a=RUN, b=RUN and instance=ID")
        }
        let ta = try LoadedTrajectory.load(site, run: a, instance: id)
        let tb = try LoadedTrajectory.load(site, run: b, instance: id)
        var firstDiff: Int?
        for i in 0..<max(ta.steps.count, tb.steps.count) {
            // A step differs when what the agent did or what it was shown differs.
            func key(_ t: LoadedTrajectory) -> [String?]? {
                i < t.steps.count ? [t.steps[i].text("action"), t.steps[i].text("observation")] : nil
            }
            let x = key(ta)
            let y = key(tb)
            if x != y {
                firstDiff = i + 1
                break
            }
        }
        let start = max(0, (firstDiff ?? 1) - 3)
        func column(_ t: LoadedTrajectory) -> Markup {
            var parts: [Markup] = [
                H.h2(t.run.label),
                .el(
                    "p", [:],
                    [
                        H.a(
                            Link.trajectory(t.run.label, id) + (firstDiff.map { "#step=\($0)" } ?? ""),
                            "open in the viewer"),
                        Markup(" · \(t.steps.count) steps · exit status \(t.exitStatus ?? "none")"),
                    ]),
            ]
            if start > 0 { parts.append(H.p("… steps 1–\(start) are the same in both")) }
            parts += TrajectoryPage.steps(t, from: start, count: site.stepsPerPage, marked: firstDiff).steps
            return .el("div", [:], parts)
        }
        return Layout.page(
            "\(id): \(a) vs \(b)",
            [
                .el("p", [:], [H.a(Link.compare(a, b), "← comparison \(a) vs \(b)")]),
                H.h1("\(id): \(a) vs \(b)"),
                H.p(
                    firstDiff.map { "The trajectories first differ at step \($0) (marked)." }
                        ?? "The two trajectories take the same actions and see the same observations."),
                .el("div", ["class": "columns", "id": "side-by-side"], [column(ta), column(tb)]),
            ])
    }
}
