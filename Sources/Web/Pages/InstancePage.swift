import SmithJSON
import SmithProjections
import SmithQueries
import SmithStore

/// `/instances/<id>`: every event about one instance across runs, its verdicts, the SFT sets and checkpoints
/// trained on it, and a warning when a training instance is also a benchmark instance.
enum InstancePage {
    static func render(_ site: Site, id: String) throws -> Markup {
        let entries: [InstanceHistory.Entry]
        do {
            entries = try site.store.read { log, p in try InstanceHistory.entries(of: id, log: log, projections: p) }
        } catch let e as LogError where e.code == .notFound {
            throw PageNotFound("no event names the instance '\(id)'")
        }
        let trajectories = try site.store.query(
            """
            SELECT t.run, t.run_version, t.exit_status, t.steps, \(RunLookup.verdictSQL), v.eval_run
            FROM trajectories t LEFT JOIN verdicts v ON v.trajectory = t.event_id
            WHERE t.instance_id = ? ORDER BY t.run
            """, [.text(id)])
        let sets = try site.store.query(
            """
            SELECT DISTINCT d.name, d.version FROM sft_samples s JOIN sft_datasets d ON d.build = s.build
            WHERE s.instance_id = ? ORDER BY d.name, d.version
            """, [.text(id)])
        var checkpoints: [[SQLValue]] = []
        for s in sets {
            checkpoints += try site.store.query(
                "SELECT name, version FROM checkpoints WHERE (sft_dataset = ?1 OR sft_dataset = ?1 || '@' || ?2) AND sft_dataset_version = ?2",
                [s[0], s[1]])
        }
        let benchmarks = entries.filter { $0.list != nil && $0.event.type == "BenchmarkEvaluated" }
        var body: [Markup] = [H.h1("Instance \(id)")]
        if !sets.isEmpty && !benchmarks.isEmpty {
            body.append(
                .el(
                    "p", ["class": "warn"],
                    text: "Warning: this instance is in an SFT training set and also in a benchmark result: "
                        + "scores on it may be contaminated."))
        }
        body.append(H.h2("Trajectories"))
        body.append(
            H.table(
                ["run", "exit status", "steps", "verdict", "eval run"],
                trajectories.map { t in
                    let label = "\(t[0].cell)@\(t[1].cell)"
                    return [
                        H.td(H.a(Link.trajectory(label, id), label)), H.td(t[2].cell), H.td(t[3].cell, class: "num"),
                        H.td(t[4].cell), H.td(t[5].stringValue.map { H.a(Link.run($0), $0) } ?? .empty),
                    ]
                }, id: "instance-trajectories"))
        body.append(H.h2("SFT sets and checkpoints trained on it"))
        body.append(
            .el(
                "ul", [:],
                sets.map { s in
                    let l = "\(s[0].cell)@\(s[1].cell)"
                    return .el("li", [:], [H.a(Link.sft(l), "SFT " + l)])
                }
                    + checkpoints.map { c in
                        let l = "\(c[0].cell)@\(c[1].cell)"
                        return .el("li", [:], [H.a(Link.checkpoint(l), "checkpoint " + l)])
                    }))
        body.append(H.h2("Events"))
        body.append(
            H.table(
                ["seq", "type", "stream", "recorded", "note"],
                entries.map { e in
                    [
                        H.td(H.a(Link.event(Int64(e.event.seq)), String(e.event.seq)), class: "num"),
                        H.td(e.event.type),
                        H.td(e.event.stream), H.td(Timestamp.iso8601(milliseconds: e.event.recordedAt)),
                        H.td(
                            [e.list.map { "in \($0)" }, e.retracted.map { "retracted: \($0)" }].compactMap { $0 }
                                .joined(separator: "; ")),
                    ]
                }, id: "instance-events"))
        return Layout.page("Instance \(id)", body)
    }
}
