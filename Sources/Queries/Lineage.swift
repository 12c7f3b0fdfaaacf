public import SmithJSON
public import SmithProjections
import SmithStore

/// `smithlog lineage NAME`: from a benchmark result or checkpoint back to the dataset rows that made it.
///
/// benchmark → checkpoint → SFT dataset (→ its inputs, when combined) → samples → trajectory run → verdicts
/// → subset → dataset (file SHA-256). Every node carries the seq of the event that recorded it.
public enum Lineage {
    /// One node of the tree.
    public struct Node: Sendable {
        public var kind: String
        public var name: String
        public var seq: Int64?
        public var details: [(String, JSONValue)]
        public var children: [Node]

        public var json: JSONValue {
            .object([
                ("kind", .string(kind)), ("name", .string(name)), ("seq", seq.map { .int($0) } ?? .null),
                ("details", .object(details)), ("children", .array(children.map(\.json))),
            ])
        }
    }

    public static func tree(for name: String, projections: ProjectionEngine) throws -> Node {
        if try projections.hasRow(in: "benchmark_results", named: name) {
            return try benchmark(name, projections)
        }
        if try projections.hasRow(in: "checkpoints", named: name) {
            return try checkpoint(name, projections)
        }
        if try projections.hasRow(in: "sft_datasets", named: name) {
            return try sftDataset(name, projections, depth: 0)
        }
        throw LogError(.notFound, "'\(name)' is not a recorded benchmark result, checkpoint or SFT dataset")
    }

    /// The first row of `sql` as (column, value) pairs, or nil.
    static func row(_ sql: String, _ p: ProjectionEngine) throws -> [(String, SQLValue)]? {
        let r = try p.query(sql: sql)
        return r.rows.first.map { Array(zip(r.columns, $0)) }
    }

    static func details(_ row: [(String, SQLValue)], _ keys: [String]) -> [(String, JSONValue)] {
        keys.compactMap { k in row.first { $0.0 == k }.map { (k, $0.1.jsonValue) } }
    }

    static func value(_ row: [(String, SQLValue)], _ key: String) -> SQLValue {
        row.first { $0.0 == key }?.1 ?? .null
    }

    static func benchmark(_ name: String, _ p: ProjectionEngine) throws -> Node {
        let r = try row("SELECT * FROM benchmark_results WHERE name = \(SQLText.literal(name))", p)!
        var children: [Node] = []
        if let c = value(r, "checkpoint").stringValue { children.append(try checkpoint(c, p)) }
        return Node(
            kind: "benchmark", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["benchmark", "split", "model", "resolved", "total", "resolved_pct", "report_sha256"]),
            children: children)
    }

    static func checkpoint(_ name: String, _ p: ProjectionEngine) throws -> Node {
        let r = try row("SELECT * FROM checkpoints WHERE name = \(SQLText.literal(name))", p)!
        var children: [Node] = []
        if let s = value(r, "sft_dataset").stringValue { children.append(try sftDataset(s, p, depth: 0)) }
        return Node(
            kind: "checkpoint", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["base_model", "lr", "epochs", "epoch", "data_files", "sft_match", "config_sha256"]),
            children: children)
    }

    static func sftDataset(_ name: String, _ p: ProjectionEngine, depth: Int) throws -> Node {
        guard let r = try row("SELECT * FROM sft_datasets WHERE name = \(SQLText.literal(name))", p) else {
            return Node(kind: "sft dataset", name: name, seq: nil, details: [("missing", .bool(true))], children: [])
        }
        var children: [Node] = []
        if let from = value(r, "combined_from_json").stringValue, depth < 8,
            let inputs = try? JSONParser.parse(from).arrayValue
        {
            for input in inputs.compactMap(\.stringValue) {
                children.append(try sftDataset(input, p, depth: depth + 1))
            }
        }
        let samples = try p.query(
            sql: """
                SELECT count(*), count(DISTINCT trajectory) FROM sft_samples s JOIN sft_datasets d
                ON d.name = s.dataset AND d.build = s.build WHERE d.name = \(SQLText.literal(name))
                """
        ).rows.first
        children.append(
            Node(
                kind: "samples", name: "\(samples?[0].int64Value ?? 0) lines", seq: nil,
                details: [("trajectories", samples?[1].jsonValue ?? .null)], children: []))
        if let run = value(r, "traj_run").stringValue { children.append(try trajectoryRun(run, p)) }
        if let eval = value(r, "eval_run").stringValue { children.append(try evalRun(eval, p)) }
        return Node(
            kind: "sft dataset", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["style", "transform", "lines", "file_name", "export_sha256", "only_resolved"]),
            children: children)
    }

    static func trajectoryRun(_ name: String, _ p: ProjectionEngine) throws -> Node {
        let q = SQLText.literal(name)
        guard let r = try row("SELECT * FROM runs WHERE name = \(q)", p) else {
            return Node(kind: "trajectory run", name: name, seq: nil, details: [("missing", .bool(true))], children: [])
        }
        var children: [Node] = []
        if let subset = value(r, "subset").stringValue {
            children.append(try self.subset(subset, p))
        } else {
            // No subset recorded: the datasets the run's instances were registered in.
            let datasets = try p.query(
                sql: """
                    SELECT DISTINCT i.dataset FROM trajectories t JOIN instances i ON i.instance_id = t.instance_id
                    WHERE t.run = \(q) ORDER BY i.dataset
                    """)
            for d in datasets.rows.compactMap({ $0.first?.stringValue }) { children.append(try dataset(d, p)) }
        }
        let count = try p.query(sql: "SELECT count(*) FROM trajectories WHERE run = \(q)").rows.first?.first
        return Node(
            kind: "trajectory run", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["model", "agent_version", "instances", "config_sha256"])
                + [("trajectories", count?.jsonValue ?? .null)],
            children: children)
    }

    static func evalRun(_ name: String, _ p: ProjectionEngine) throws -> Node {
        let q = SQLText.literal(name)
        guard let r = try row("SELECT * FROM eval_runs WHERE name = \(q)", p) else {
            return Node(kind: "verdicts", name: name, seq: nil, details: [("missing", .bool(true))], children: [])
        }
        let counts = try p.query(sql: "SELECT count(*), sum(resolved) FROM verdicts WHERE eval_run = \(q)").rows.first
        return Node(
            kind: "verdicts", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["of_run", "layout"]) + [
                ("verdicts", counts?[0].jsonValue ?? .null), ("resolved", counts?[1].jsonValue ?? .null),
            ], children: [])
    }

    static func subset(_ name: String, _ p: ProjectionEngine) throws -> Node {
        guard let r = try row("SELECT * FROM subsets WHERE name = \(SQLText.literal(name))", p) else {
            return Node(kind: "subset", name: name, seq: nil, details: [("missing", .bool(true))], children: [])
        }
        var children: [Node] = []
        if let d = value(r, "dataset").stringValue { children.append(try dataset(d, p)) }
        return Node(
            kind: "subset", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["condition", "members", "dataset_sha256"]), children: children)
    }

    static func dataset(_ name: String, _ p: ProjectionEngine) throws -> Node {
        guard let r = try row("SELECT * FROM datasets WHERE name = \(SQLText.literal(name))", p) else {
            return Node(kind: "dataset", name: name, seq: nil, details: [("missing", .bool(true))], children: [])
        }
        return Node(
            kind: "dataset", name: name, seq: value(r, "seq").int64Value,
            details: details(r, ["file_name", "sha256", "rows", "format"]), children: [])
    }

    /// The tree as indented text with box-drawing branches.
    public static func text(_ node: Node) -> String {
        var out = ""
        func render(_ n: Node, _ prefix: String, _ branch: String) {
            // Unknown facts (null) are left out of the text; --json keeps them.
            let facts = n.details.filter { $0.1 != .null }.map { "\($0.0)=\(PythonRepr.str($0.1))" }
                .joined(separator: " ")
            out +=
                prefix + branch + "\(n.kind) \(n.name)" + (n.seq.map { " [seq \($0)]" } ?? "")
                + (facts.isEmpty ? "" : "  " + facts) + "\n"
            let childPrefix = prefix + (branch == "└─ " ? "   " : branch == "├─ " ? "│  " : "")
            for (i, c) in n.children.enumerated() {
                render(c, childPrefix, i == n.children.count - 1 ? "└─ " : "├─ ")
            }
        }
        render(node, "", "")
        return out
    }
}
