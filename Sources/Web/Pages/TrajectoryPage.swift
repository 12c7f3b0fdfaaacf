import SmithJSON
import SmithProjections

/// `/runs/<run>/<instance>`: a trajectory step by step. The first page of steps is in the HTML; the script
/// fetches the rest as fragments (`?from=N&fragment=1`). `?step=N` shows one step whole, with what the model saw.
enum TrajectoryPage {
    /// Text fields longer than this are collapsed (with their size) and clipped in lists of steps.
    static let collapseAt = 1_500
    static let clipAt = 8_000

    static func render(_ site: Site, run: String, instance: String, _ r: PageRequest) throws -> Markup {
        let t = try LoadedTrajectory.load(site, run: run, instance: instance)
        if let step = try r.int("step") { return try singleStep(site, t, step) }
        let count = site.allStepsAtOnce ? t.steps.count : site.stepsPerPage
        let neighbours =
            try site.store.query(
                """
                SELECT (SELECT instance_id FROM trajectories WHERE run = ?1 AND run_version = ?2 AND instance_id < ?3
                        ORDER BY instance_id DESC LIMIT 1),
                       (SELECT instance_id FROM trajectories WHERE run = ?1 AND run_version = ?2 AND instance_id > ?3
                        ORDER BY instance_id LIMIT 1)
                """, [.text(t.run.name), .integer(t.run.version), .text(instance)]
            ).first ?? [.null, .null]
        var nav: [Markup] = [H.a(Link.run(t.run.label), "← run \(t.run.label)")]
        if let prev = neighbours[0].stringValue {
            nav.append(
                .el(
                    "a", ["href": Link.trajectory(t.run.label, prev), "rel": "prev", "class": "instance-nav"],
                    text: "◀ h: \(prev)"))
        }
        if let next = neighbours[1].stringValue {
            nav.append(
                .el(
                    "a", ["href": Link.trajectory(t.run.label, next), "rel": "next", "class": "instance-nav"],
                    text: "l: \(next) ▶"))
        }
        let verdict = try site.store.query(
            """
            SELECT v.eval_run, \(RunLookup.verdictSQL), v.f2p_success, v.f2p_failure, v.p2p_success, v.p2p_failure
            FROM verdicts v JOIN trajectories t ON v.trajectory = t.event_id
            WHERE t.run = ? AND t.instance_id = ? ORDER BY v.seq DESC LIMIT 1
            """, [.text(t.run.name), .text(instance)]
        ).first
        let row = LoadedTrajectory.datasetRow(site, instance)
        var side: [Markup] = [H.h2("Submitted patch")]
        side.append(t.submission.map { $0.isEmpty ? H.p("(empty)") : diffMarkup($0) } ?? H.p("No patch was submitted."))
        side.append(H.h2("Gold patch"))
        side.append(row?.text("patch").map(diffMarkup) ?? H.p("The dataset row is not in the store."))
        for key in ["FAIL_TO_PASS", "PASS_TO_PASS"] {
            guard let tests = row?[key]?.arrayValue else { continue }
            side.append(.el("h3", text: "\(key) (\(tests.count))"))
            side.append(
                .el("ul", ["class": "tests"], tests.prefix(200).map { .el("li", [:], [H.code($0.stringValue ?? "")]) }))
        }
        var body: [Markup] = [
            .el("nav", ["class": "instances"], nav.flatMap { [$0, Markup(" ")] }),
            H.h1("\(instance) in \(t.run.label)"),
            H.facts([
                ("exit status", Markup(t.exitStatus ?? "")),
                (
                    "verdict",
                    verdict.map { v in
                        .group([
                            Markup(v[1].cell + " "),
                            H.a(Link.run(v[0].cell), "(eval \(v[0].cell))", class: "muted"),
                            Markup(
                                " FAIL_TO_PASS \(v[2].cell) passed / \(v[3].cell) failed, PASS_TO_PASS \(v[4].cell) / \(v[5].cell)"
                            ),
                        ])
                    } ?? Markup("no verdict recorded")
                ),
                ("steps", Markup(String(t.steps.count))),
                ("format", Markup(t.format)),
                ("trajectory file", Markup(Num.bytes(t.blobSize))),
                ("history", H.a(Link.instance(instance), "every event about this instance")),
            ]),
            .el(
                "p", ["class": "keys"],
                [
                    .el("kbd", text: "j"), Markup("/"), .el("kbd", text: "k"), Markup(" steps, "),
                    .el("kbd", text: "h"),
                    Markup("/"), .el("kbd", text: "l"), Markup(" instances. "),
                    .el("button", ["id": "toggle-query", "type": "button"], text: "Show what the model saw"),
                ]),
        ]
        let first = steps(t, from: 0, count: count, budget: site.allStepsAtOnce ? Int.max : stepBudget)
        var stepsColumn: [Markup] = [.el("div", ["id": "steps"], first.steps)]
        if first.next < t.steps.count {
            stepsColumn.append(
                .el(
                    "button",
                    ["id": "more-steps", "type": "button", "data-src": fragmentLink(t, from: first.next)],
                    text: "Load more steps (\(t.steps.count - first.next) left)"))
        }
        body.append(.el("div", ["class": "columns"], [.el("div", [:], stepsColumn), .el("div", [:], side)]))
        return Layout.page("\(instance) · \(t.run.label)", body)
    }

    static func fragmentLink(_ t: LoadedTrajectory, from: Int) -> String {
        Link.with(Link.trajectory(t.run.label, t.instance), ["from": String(from), "fragment": "1"])
    }

    /// `?from=N&fragment=1`: the next steps as HTML to append, and where the following ones are.
    static func fragment(_ site: Site, run: String, instance: String, _ r: PageRequest) throws -> Markup {
        let t = try LoadedTrajectory.load(site, run: run, instance: instance)
        let from = max(0, try r.int("from") ?? 0)
        let count = site.stepsPerPage
        let shown = steps(t, from: from, count: count)
        var parts = shown.steps
        if shown.next < t.steps.count {
            parts.append(.el("div", ["class": "next-src", "data-next": fragmentLink(t, from: shown.next)]))
        }
        return .group(parts)
    }

    /// Steps `from..<from+count`, numbered from 1, each field clipped and long ones collapsed; stops early once
    /// the steps shown reach `budget` bytes of HTML (at least one step is shown), so that one response stays small
    /// however large the steps are. Returns the steps and the index of the first step not shown.
    static func steps(
        _ t: LoadedTrajectory, from: Int, count: Int, marked: Int? = nil, budget: Int = stepBudget
    ) -> (steps: [Markup], next: Int) {
        var out: [Markup] = []
        var bytes = 0
        var i = from
        while i < min(t.steps.count, from + count) && (out.isEmpty || bytes < budget) {
            let m = step(
                t.steps[i], number: i + 1,
                link: Link.with(Link.trajectory(t.run.label, t.instance), ["step": String(i + 1)]),
                differs: marked == i + 1)
            bytes += m.html.utf8.count
            out.append(m)
            i += 1
        }
        return (out, i)
    }

    /// The HTML of the steps in one response, at most (plus the one step that crosses it).
    static let stepBudget = 100_000

    static func field(_ label: String, _ text: String?, clip: Int?) -> Markup {
        guard let text, !text.isEmpty else { return .empty }
        let (shown, total) = clip.map { clipped(text, $0) } ?? (text, nil)
        var content: [Markup] = [.el("pre", [:], [Markup(shown)])]
        if let total { content.append(H.p("… clipped: \(Num.bytes(total)) in all (open the step to see it whole)")) }
        if text.utf8.count > collapseAt {
            return .el(
                "details", ["class": "field"],
                [
                    .el(
                        "summary", [:],
                        [.el("span", ["class": "label"], text: "\(label) (\(Num.bytes(text.utf8.count)))")])
                ]
                    + content)
        }
        return .el("div", ["class": "field"], [.el("span", ["class": "label"], text: label)] + content)
    }

    /// What the model saw at a step: its `query` (1.1) or `messages` (1.0); in lists only the last two messages.
    static func modelView(_ step: JSONValue, whole: Bool) -> Markup {
        guard let messages = (step["query"] ?? step["messages"])?.arrayValue, !messages.isEmpty else {
            return .el("div", ["class": "query"], [H.p("(this format records no model input per step)")])
        }
        let shown = whole ? messages[...] : messages.suffix(2)
        var parts: [Markup] = [
            .el(
                "span", ["class": "label"],
                text: "what the model saw: \(messages.count) messages"
                    + (whole ? "" : ", the last \(shown.count) shown"))
        ]
        for m in shown {
            var content = m.text("content") ?? ""
            if let list = m["content"]?.arrayValue {
                content = list.compactMap { $0.text("text") }.joined(separator: "\n")
            }
            parts.append(field(m.text("role") ?? "message", content, clip: whole ? nil : clipAt))
        }
        return .el("div", ["class": "query"], parts)
    }

    static func step(_ s: JSONValue, number: Int, link: String, differs: Bool = false, whole: Bool = false) -> Markup {
        let clip = whole ? nil : clipAt
        return .el(
            "section",
            ["class": differs ? "step differs" : "step", "data-step": String(number), "id": "step-\(number)"],
            [
                .el(
                    "h3", [:], [H.a(link, "Step \(number)"), Markup(differs ? " — first step where they differ" : "")]),
                field("thought", s.text("thought"), clip: clip),
                field("action", s.text("action"), clip: clip),
                field("observation", s.text("observation"), clip: clip),
                s.text("thought") == s.text("response") ? .empty : field("response", s.text("response"), clip: clip),
                modelView(s, whole: whole),
            ])
    }

    static func singleStep(_ site: Site, _ t: LoadedTrajectory, _ n: Int) throws -> Markup {
        guard n >= 1, n <= t.steps.count else {
            throw PageNotFound("\(t.instance) in \(t.run.label) has \(t.steps.count) steps, not \(n)")
        }
        let back = Link.trajectory(t.run.label, t.instance) + "#step=\(n)"
        return Layout.page(
            "Step \(n) · \(t.instance)",
            [
                .el("p", [:], [H.a(back, "← the whole trajectory")]),
                H.h1("Step \(n) of \(t.steps.count): \(t.instance) in \(t.run.label)"),
                .el(
                    "p", [:],
                    [.el("button", ["id": "toggle-query", "type": "button"], text: "Show what the model saw")]),
                .el("div", ["id": "steps"], [step(t.steps[n - 1], number: n, link: back, whole: true)]),
            ])
    }
}
