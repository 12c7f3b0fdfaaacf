import SmithProjections
import SmithQueries

/// `/`: what the store holds, each kind a link to its page.
enum HomePage {
    static func render(_ site: Site) throws -> Markup {
        let benchmarks = try site.store.read { _, p in try KnownValues.benchmarks(p) }
        let counts =
            try site.store.query(
                """
                SELECT (SELECT count(*) FROM runs WHERE latest = 1), (SELECT count(*) FROM eval_runs WHERE latest = 1),
                       (SELECT count(*) FROM benchmark_results WHERE latest = 1),
                       (SELECT count(*) FROM sft_datasets WHERE latest = 1),
                       (SELECT count(*) FROM checkpoints WHERE latest = 1)
                """
            ).first ?? []
        let last = try site.store.log.lastSeq()
        func n(_ i: Int) -> String { counts.indices.contains(i) ? counts[i].cell : "0" }
        return Layout.page(
            "smithlog",
            [
                H.h1("smithlog store"),
                H.facts([
                    ("events", H.a("/log", String(last))),
                    ("trajectory runs", H.a(Link.with("/runs", ["kind": "traj"]), n(0))),
                    ("eval runs", H.a(Link.with("/runs", ["kind": "eval"]), n(1))),
                    ("benchmark results", H.a(Link.with("/runs", ["kind": "bench"]), n(2))),
                    ("SFT datasets", H.a("/sft", n(3))),
                    ("checkpoints", Markup(n(4))),
                ]),
                H.h2("Leaderboards"),
                benchmarks.isEmpty
                    ? H.p("No benchmark result is recorded yet.")
                    : .el("ul", [:], benchmarks.map { .el("li", [:], [H.a(Link.leaderboard($0), $0)]) }),
                .el(
                    "p", ["class": "keys"],
                    [
                        Markup("In a trajectory: "), .el("kbd", text: "j"), Markup("/"), .el("kbd", text: "k"),
                        Markup(" next/previous step, "), .el("kbd", text: "h"), Markup("/"), .el("kbd", text: "l"),
                        Markup(" previous/next instance."),
                    ]),
            ])
    }
}
