import SmithJSON
import SmithQueries

/// `/lineage/<kind>/<name>`: score → checkpoint → SFT set → trajectory and eval runs → subset → dataset, drawn as
/// an SVG by the server; many siblings of one kind are collapsed into one node; every node is a link.
enum LineagePage {
    static let kinds = ["bench": "benchmark", "checkpoint": "checkpoint", "sft": "sft dataset"]
    /// Siblings of one kind beyond this many are shown as the first few and one "+N more" node.
    static let fanOut = 4

    static func render(_ site: Site, kind: String, name: String) throws -> Markup {
        guard let wanted = kinds[kind] else {
            throw PageNotFound("lineage is drawn from a bench result, checkpoint or sft dataset, not '\(kind)'")
        }
        let tree = try site.store.read { _, p in try Lineage.tree(for: name, projections: p) }
        guard tree.kind == wanted else { throw PageNotFound("'\(name)' is a \(tree.kind), not a \(wanted)") }
        var placed: [Placed] = []
        var edges: [(Int, Int)] = []
        var row = 0
        _ = layout(collapse(tree), depth: 0, row: &row, placed: &placed, edges: &edges)
        let width = (placed.map(\.depth).max() ?? 0) * colWidth + boxWidth + 20
        let height = max(row, 1) * rowHeight + 20
        var svg: [Markup] = []
        for (from, to) in edges {
            let a = placed[from]
            let b = placed[to]
            svg.append(
                .el(
                    "line",
                    [
                        "x1": String(10 + a.depth * colWidth + boxWidth), "y1": String(a.y + boxHeight / 2),
                        "x2": String(10 + b.depth * colWidth), "y2": String(b.y + boxHeight / 2), "stroke": "#8898aa",
                    ]))
        }
        for p in placed {
            let x = 10 + p.depth * colWidth
            let box: Markup = .group([
                .el(
                    "rect",
                    [
                        "x": String(x), "y": String(p.y), "width": String(boxWidth), "height": String(boxHeight),
                        "rx": "4", "class": p.node.retracted == nil ? nil : "retracted",
                    ]),
                .el(
                    "text", ["x": String(x + 6), "y": String(p.y + 14), "font-size": "11", "fill": "#6a737d"],
                    text: p.node.kind),
                .el("text", ["x": String(x + 6), "y": String(p.y + 30), "font-size": "12"], text: short(p.node.label)),
                .el("title", text: p.node.label + (p.node.retracted.map { " (retracted: \($0))" } ?? "")),
            ])
            if let href = link(p.node) {
                svg.append(.el("a", ["href": href], [box]))
            } else {
                svg.append(box)
            }
        }
        return Layout.page(
            "Lineage \(tree.label)",
            [
                H.h1("Lineage of \(tree.kind) \(tree.label)"),
                .el(
                    "svg",
                    [
                        "class": "lineage", "xmlns": "http://www.w3.org/2000/svg", "width": String(width),
                        "height": String(height), "viewBox": "0 0 \(width) \(height)",
                    ], svg),
                H.h2("Details"),
                details(tree),
            ])
    }

    static let colWidth = 230
    static let boxWidth = 200
    static let boxHeight = 38
    static let rowHeight = 48

    struct Placed {
        var node: Lineage.Node
        var depth: Int
        var y: Int
    }

    static func short(_ s: String) -> String { s.count > 30 ? String(s.prefix(29)) + "…" : s }

    /// Children of one kind past `fanOut` become one node "+N more <kind>" (recursively).
    static func collapse(_ n: Lineage.Node) -> Lineage.Node {
        var out = n
        var children: [Lineage.Node] = []
        var byKind: [String: Int] = [:]
        for c in n.children { byKind[c.kind, default: 0] += 1 }
        var seen: [String: Int] = [:]
        for c in n.children {
            let k = seen[c.kind, default: 0]
            seen[c.kind] = k + 1
            let total = byKind[c.kind] ?? 0
            if total > fanOut + 1 && k >= fanOut {
                if k == fanOut {
                    var more = c
                    more.name = "+\(total - fanOut) more"
                    more.version = nil
                    more.children = []
                    more.retracted = nil
                    more.details = [("collapsed", .bool(true))]
                    children.append(more)
                }
                continue
            }
            children.append(collapse(c))
        }
        out.children = children
        return out
    }

    /// Places the tree left to right: a node's row is its first leaf's.
    static func layout(
        _ n: Lineage.Node, depth: Int, row: inout Int, placed: inout [Placed], edges: inout [(Int, Int)]
    ) -> Int {
        let index = placed.count
        placed.append(Placed(node: n, depth: depth, y: 10 + row * rowHeight))
        if n.children.isEmpty {
            row += 1
        } else {
            for c in n.children {
                let child = layout(c, depth: depth + 1, row: &row, placed: &placed, edges: &edges)
                edges.append((index, child))
            }
        }
        return index
    }

    /// The page a node stands for.
    static func link(_ n: Lineage.Node) -> String? {
        if n.details.contains(where: { $0.0 == "collapsed" || $0.0 == "missing" }) { return nil }
        switch n.kind {
        case "benchmark": return Link.lineage("bench", n.label)
        case "checkpoint": return Link.checkpoint(n.label)
        case "sft dataset": return Link.sft(n.label)
        case "trajectory run", "inference run", "verdicts": return Link.run(n.label)
        case "subset": return Link.with("/log", ["stream": "subset/\(n.name)"])
        case "dataset": return Link.with("/log", ["stream": "dataset/\(n.name)"])
        default: return nil
        }
    }

    /// Every node with its details, as nested lists.
    static func details(_ n: Lineage.Node) -> Markup {
        let facts = n.details.map { k, v in "\(k): " + (v.stringValue ?? PythonJSON.dumps(v, ensureASCII: false)) }
        return .el(
            "ul", [:],
            [
                .el(
                    "li", [:],
                    [
                        link(n).map { H.a($0, "\(n.kind) \(n.label)") } ?? Markup("\(n.kind) \(n.label)"),
                        Markup(n.retracted.map { " (retracted: \($0))" } ?? ""),
                        Markup(facts.isEmpty ? "" : " — " + facts.joined(separator: ", ")),
                        n.children.isEmpty ? .empty : .group(n.children.map(details)),
                    ])
            ])
    }
}
