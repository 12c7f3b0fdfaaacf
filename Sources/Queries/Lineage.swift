import SmithDomain
public import SmithJSON
public import SmithProjections
import SmithStore

/// `smithlog lineage NAME[@N]`: from a benchmark result or checkpoint back to the dataset rows that made it.
///
/// benchmark → checkpoint → SFT dataset (→ its inputs, when combined) → samples → trajectory run → verdicts
/// → subset → dataset (file SHA-256). Every hop follows the version the event pinned (`name@N`), so the tree
/// never changes because something was recorded later; every node carries the seq of the event that recorded
/// it, and retracted versions are marked with the reason.
public enum Lineage {
    /// One node of the tree.
    public struct Node: Sendable {
        public var kind: String
        public var name: String
        /// The version shown (`name@N`), nil for nodes that are not a named thing's version.
        public var version: Int64?
        public var seq: Int64?
        /// Why this version was retracted, nil while it stands.
        public var retracted: String?
        public var details: [(String, JSONValue)]
        public var children: [Node]

        init(
            kind: String, name: String, version: Int64? = nil, seq: Int64?, retracted: String? = nil,
            details: [(String, JSONValue)], children: [Node]
        ) {
            self.kind = kind
            self.name = name
            self.version = version
            self.seq = seq
            self.retracted = retracted
            self.details = details
            self.children = children
        }

        /// `name@N`, or the name alone.
        public var label: String { version.map { "\(name)@\($0)" } ?? name }

        public var json: JSONValue {
            .object([
                ("kind", .string(kind)), ("name", .string(name)), ("version", version.map { .int($0) } ?? .null),
                ("seq", seq.map { .int($0) } ?? .null),
                ("retracted", retracted.map(JSONValue.string) ?? .null), ("details", .object(details)),
                ("children", .array(children.map(\.json))),
            ])
        }
    }

    /// The tree of a benchmark result, checkpoint or SFT dataset (`NAME` or `NAME@N`); throws
    /// `NameError(.notFound)` when `name` is none of them.
    public static func tree(for name: String, projections p: ProjectionEngine) throws -> Node {
        let wanted = VersionedName(parsing: name)
        if let r = try NamedRow.find(wanted, .bench, p) { return try benchmark(r, p) }
        if let r = try NamedRow.find(wanted, .checkpoint, p) { return try checkpoint(r, p) }
        if let r = try NamedRow.find(wanted, .sft, p) { return try sftDataset(r, p, depth: 0) }
        throw NamedRow.notFound(wanted, "benchmark result, checkpoint or SFT dataset (or version of one)")
    }

    /// The row's values of `keys`; the 0/1 columns as JSON booleans.
    static func details(_ row: NamedRow, _ keys: [String]) -> [(String, JSONValue)] {
        keys.map { key in
            let value = row[key]
            guard booleans.contains(key), let flag = value.int64Value else { return (key, value.jsonValue) }
            return (key, .bool(flag != 0))
        }
    }

    static let booleans: Set<String> = ["only_resolved", "latest"]

    /// The node of a recorded reference whose pinned version is not in the projections.
    static func missing(_ kind: String, _ reference: SQLValue) -> Node {
        Node(
            kind: kind, name: reference.stringValue ?? "?", seq: nil, details: [("missing", .bool(true))],
            children: [])
    }

    static func node(_ kind: String, _ r: NamedRow, details: [(String, JSONValue)], children: [Node]) -> Node {
        Node(
            kind: kind, name: r.name, version: r.version, seq: r["seq"].int64Value, retracted: r.retraction,
            details: details, children: children)
    }

    static func benchmark(_ r: NamedRow, _ p: ProjectionEngine) throws -> Node {
        var children: [Node] = []
        if !r["checkpoint"].isNull {
            if let c = try NamedRow.pinned(r["checkpoint"], r["checkpoint_version"], .checkpoint, p) {
                children.append(try checkpoint(c, p))
            } else {
                children.append(missing("checkpoint", r["checkpoint"]))
            }
        }
        // The inference run whose predictions were scored, beside the checkpoint's training lineage.
        if !r["of_run"].isNull {
            if let run = try NamedRow.pinned(r["of_run"], r["of_run_version"], .run, p) {
                var inference = try trajectoryRun(run, p)
                inference.kind = "inference run"
                inference.details.append(("checkpoint", run["checkpoint"].jsonValue))
                children.append(inference)
            } else {
                children.append(missing("inference run", r["of_run"]))
            }
        }
        var facts = details(r, ["benchmark", "split", "model", "resolved", "total", "resolved_pct", "report_sha256"])
        if !r["infra"].isNull { facts += details(r, ["infra"]) }
        return node("benchmark", r, details: facts, children: children)
    }

    static func checkpoint(_ r: NamedRow, _ p: ProjectionEngine, depth: Int = 0) throws -> Node {
        var children: [Node] = []
        // A DPO (or any further) stage names the checkpoint it started from; a loop of parents cannot be recorded
        // (a parent is recorded before its child), the depth bound is for damaged projections.
        if !r["parent_checkpoint"].isNull, depth < 16 {
            if let parent = try NamedRow.pinned(
                r["parent_checkpoint"], r["parent_checkpoint_version"], .checkpoint, p)
            {
                children.append(try checkpoint(parent, p, depth: depth + 1))
            } else {
                children.append(missing("checkpoint", r["parent_checkpoint"]))
            }
        }
        if !r["sft_dataset"].isNull {
            if let s = try NamedRow.pinned(r["sft_dataset"], r["sft_dataset_version"], .sft, p) {
                children.append(try sftDataset(s, p, depth: 0))
            } else {
                children.append(missing("sft dataset", r["sft_dataset"]))
            }
        }
        return node(
            "checkpoint", r,
            details: details(r, ["base_model", "lr", "epochs", "epoch", "data_files", "sft_match", "config_sha256"])
                // Shown when they tell something: preference data (DPO) and the checkpoint trained from.
                + details(r, r["data_kind"].stringValue == "preference" ? ["data_kind", "data_sha256"] : [])
                + details(r, ["parent_checkpoint"]).filter { $0.1 != .null }
                + (try curve(r, p)),
            children: children)
    }

    /// The checkpoint's training curve in one fact: `training_steps` (distinct steps logged), when it has one.
    static func curve(_ r: NamedRow, _ p: ProjectionEngine) throws -> [(String, JSONValue)] {
        let steps =
            try p.query(
                sql:
                    "SELECT count(DISTINCT step) FROM training_metrics WHERE checkpoint = ? AND checkpoint_version = ?",
                arguments: [.text(r.name), .integer(r.version)]
            ).rows.first?.first?.int64Value ?? 0
        return steps > 0 ? [("training_steps", .int(steps))] : []
    }

    static func sftDataset(_ r: NamedRow, _ p: ProjectionEngine, depth: Int) throws -> Node {
        var children: [Node] = []
        if let from = r["combined_from_json"].stringValue, depth < 8,
            let inputs = try? JSONParser.parse(Array(from.utf8)).arrayValue
        {
            // A combined set's inputs were recorded by name: each means the version in force before it.
            for input in inputs.compactMap(\.stringValue) {
                let wanted = VersionedName(parsing: input)
                let pinned =
                    try wanted.version.map { Int64($0) }
                    ?? p.query(
                        sql: "SELECT max(version) FROM sft_datasets WHERE name = ? AND seq < ?",
                        arguments: [.text(wanted.name), r["seq"]]
                    ).rows.first?.first?.int64Value
                if let pinned,
                    let s = try NamedRow.find(VersionedName(name: wanted.name, version: Int(pinned)), .sft, p)
                {
                    children.append(try sftDataset(s, p, depth: depth + 1))
                } else {
                    children.append(missing("sft dataset", .text(input)))
                }
            }
        }
        let samples = try p.query(
            sql: "SELECT count(*), count(DISTINCT trajectory) FROM sft_samples WHERE dataset = ? AND build = ?",
            arguments: [.text(r.name), r["build"]]
        ).rows.first
        children.append(
            Node(
                kind: "samples", name: "\(samples?[0].int64Value ?? 0) lines", seq: nil,
                details: [("trajectories", samples?[1].jsonValue ?? .null)], children: []))
        if !r["traj_run"].isNull {
            if let run = try NamedRow.pinned(r["traj_run"], r["traj_run_version"], .run, p) {
                children.append(try trajectoryRun(run, p))
            } else {
                children.append(missing("trajectory run", r["traj_run"]))
            }
        }
        if !r["eval_run"].isNull {
            if let eval = try NamedRow.pinned(r["eval_run"], r["eval_run_version"], .eval, p) {
                children.append(try evalRun(eval, p))
            } else {
                children.append(missing("verdicts", r["eval_run"]))
            }
        }
        return node(
            "sft dataset", r,
            details: details(r, ["style", "transform", "lines", "file_name", "export_sha256", "only_resolved"]),
            children: children)
    }

    static func trajectoryRun(_ r: NamedRow, _ p: ProjectionEngine) throws -> Node {
        var children: [Node] = []
        if !r["subset"].isNull {
            if let subset = try NamedRow.pinned(r["subset"], r["subset_version"], .subset, p) {
                children.append(try self.subset(subset, p))
            } else {
                children.append(missing("subset", r["subset"]))
            }
        } else {
            // No subset recorded: the datasets the run's instances were registered in.
            let datasets = try p.query(
                sql: """
                    SELECT DISTINCT i.dataset FROM trajectory_history t JOIN instances i ON i.instance_id = t.instance_id
                    WHERE t.run = ? AND t.run_version = ? ORDER BY i.dataset
                    """, arguments: [.text(r.name), .integer(r.version)])
            for d in datasets.rows.compactMap({ $0.first?.stringValue }) {
                if let row = try NamedRow.find(VersionedName(name: d), .dataset, p) {
                    children.append(dataset(row))
                }
            }
        }
        let count = try p.query(
            sql: "SELECT count(*) FROM trajectories WHERE run = ? AND run_version = ?",
            arguments: [.text(r.name), .integer(r.version)]
        ).rows.first?.first
        return node(
            "trajectory run", r,
            details: details(r, ["model", "agent_version", "instances", "folder", "config_sha256"])
                + [("trajectories", count?.jsonValue ?? .null)],
            children: children)
    }

    static func evalRun(_ r: NamedRow, _ p: ProjectionEngine) throws -> Node {
        let counts = try p.query(
            sql: "SELECT count(*), sum(resolved) FROM verdicts WHERE eval_run = ? AND eval_version = ?",
            arguments: [.text(r.name), .integer(r.version)]
        ).rows.first
        return node(
            "verdicts", r,
            details: details(r, ["of_run", "layout"]) + [
                ("verdicts", counts?[0].jsonValue ?? .null), ("resolved", counts?[1].jsonValue ?? .null),
            ], children: [])
    }

    static func subset(_ r: NamedRow, _ p: ProjectionEngine) throws -> Node {
        var children: [Node] = []
        if let d = try NamedRow.pinned(r["dataset"], r["dataset_version"], .dataset, p) {
            children.append(dataset(d))
        } else if !r["dataset"].isNull {
            children.append(missing("dataset", r["dataset"]))
        }
        return node(
            "subset", r, details: details(r, ["condition", "members", "dataset_sha256"]), children: children)
    }

    static func dataset(_ r: NamedRow) -> Node {
        node("dataset", r, details: details(r, ["file_name", "sha256", "rows", "format"]), children: [])
    }

    /// The tree as indented text with box-drawing branches, one node a line when the width is unlimited.
    ///
    /// With a width, a node's facts wrap onto further lines under its branch, hashes are shortened to 12
    /// characters, and nothing else is cut (a name longer than a line is broken across lines). `--columns`
    /// keeps only the facts named (throws `TableError` for a key no node has).
    public static func text(_ node: Node, layout: TableLayout = .unlimited) throws -> String {
        var keys: [String] = []
        func collect(_ n: Node) {
            for (k, _) in n.details where !keys.contains(k) { keys.append(k) }
            n.children.forEach(collect)
        }
        collect(node)
        let wanted = try layout.columns.map { names in
            try names.map { raw in
                let name = raw.trimmingSpaces()
                guard keys.contains(name) else {
                    throw TableError("--columns: no fact '\(name)'; the facts are " + keys.joined(separator: ", "))
                }
                return name
            }
        }
        var out = ""
        func render(_ n: Node, _ prefix: String, _ branch: String) {
            // Unknown facts (null) are left out of the text; --json keeps them.
            let facts = n.details.filter { $0.1 != .null && (wanted?.contains($0.0) ?? true) }.map { key, value in
                "\(key)=\(factText(key, value, layout))"
            }
            let head = "\(n.kind) \(n.label)" + (n.seq.map { " [seq \($0)]" } ?? "")
            let childPrefix = prefix + (branch == "└─ " ? "   " : branch == "├─ " ? "│  " : "")
            if let width = layout.width {
                var line = LineFlow(
                    width: width, first: prefix + branch, next: childPrefix + (n.children.isEmpty ? "   " : "│  "))
                line.add(head, separator: "")
                if let reason = n.retracted {
                    line.add("retracted:", separator: "  ")
                    for word in reason.split(separator: " ") { line.add(String(word), separator: " ") }
                }
                for (i, fact) in facts.enumerated() { line.add(fact, separator: i == 0 ? "  " : " ") }
                out += line.finish()
            } else {
                out +=
                    prefix + branch + head + (n.retracted.map { "  retracted: \($0)" } ?? "")
                    + (facts.isEmpty ? "" : "  " + facts.joined(separator: " ")) + "\n"
            }
            for (i, c) in n.children.enumerated() {
                render(c, childPrefix, i == n.children.count - 1 ? "└─ " : "├─ ")
            }
        }
        render(node, "", "")
        return out
    }

    /// A fact's value as text: strings as they are (hashes shortened in a width-limited layout), the rest as
    /// JSON (`true`, `5e-05`).
    static func factText(_ key: String, _ value: JSONValue, _ layout: TableLayout) -> String {
        guard let text = value.stringValue else { return PythonJSON.dumps(value, ensureASCII: false) }
        return key.hasSuffix("sha256") ? layout.hash(text) : text
    }

    /// Words laid out in lines of at most `width` characters: the first line starts with `first`, the others
    /// with `next`; a word longer than a line is broken in pieces.
    struct LineFlow {
        let width: Int
        let next: String
        var lines: [String] = []
        var current: String
        var count: Int
        var empty = true

        init(width: Int, first: String, next: String) {
            self.width = width
            self.next = next
            current = first
            count = first.count
        }

        mutating func add(_ word: String, separator: String) {
            let length = word.count
            if empty || count + separator.count + length <= width {
                let sep = empty ? "" : separator
                if count + sep.count + length <= width {
                    current += sep + word
                    count += sep.count + length
                    empty = false
                    return
                }
            }
            // Start a new line (unless this one holds nothing yet), breaking the word when it is too long.
            var rest = Substring(word)
            if !empty { newLine() }
            while !rest.isEmpty {
                let room = max(1, width - count)
                let piece = rest.prefix(room)
                current += piece
                count += piece.count
                rest = rest.dropFirst(piece.count)
                empty = false
                if !rest.isEmpty { newLine() }
            }
        }

        mutating func newLine() {
            lines.append(current)
            current = next
            count = next.count
            empty = true
        }

        func finish() -> String { (lines + [current]).map { $0.trimmingSuffixSpaces() + "\n" }.joined() }
    }
}

extension String {
    /// Without leading and trailing spaces (Foundation-free).
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
