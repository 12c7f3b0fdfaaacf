import SmithDomain
public import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog history INSTANCE_ID`: every event that touched one instance, in log order, across runs.
///
/// The projections' seq columns find them (they keep every version's members, lines, trajectories and
/// verdicts, and `benchmark_instances` the benchmark results whose id lists name the instance); the log adds the
/// instance's own stream. An event of a retracted version is marked with the reason.
public enum InstanceHistory {
    /// One event of the history; `list` names the benchmark id list (`resolved_ids`, ...) the instance is in.
    public struct Entry: Sendable {
        public var event: RecordedEvent
        public var list: String?
        /// Why the version this event belongs to was retracted, nil while it stands.
        public var retracted: String?

        /// The event as `show` prints it, plus `instance_in` for a benchmark result and `retracted` when set.
        public var json: JSONValue {
            guard list != nil || retracted != nil, case .object(var fields) = event.jsonValue else {
                return event.jsonValue
            }
            if let list { fields.append(("instance_in", .string(list))) }
            if let retracted { fields.append(("retracted", .string(retracted))) }
            return .object(fields)
        }
    }

    /// The instance's events in seq order; throws `LogError(.notFound)` when nothing in the log names it.
    public static func entries(of instance: String, log: EventLog, projections: ProjectionEngine) throws -> [Entry] {
        let id = SQLValue.text(instance)
        // Every table keyed by instance id; the *_history views include the replaced trajectories and verdicts.
        let sql = """
            SELECT seq FROM instances WHERE instance_id = ?1
            UNION SELECT seq FROM subset_members WHERE instance_id = ?1
            UNION SELECT seq FROM trajectory_history WHERE instance_id = ?1
            UNION SELECT seq FROM verdict_history WHERE instance_id = ?1
            UNION SELECT seq FROM sft_samples WHERE instance_id = ?1
            """
        var seqs = Set(
            try projections.query(sql: sql, arguments: [id]).rows.compactMap { $0.first?.int64Value.map(UInt64.init) })
        try log.forEach(stream: StreamName.instance(instance)) { e in
            seqs.insert(e.seq)
            return true
        }
        // The benchmark results naming the instance, and the list each names it in (the projection reads the
        // results' id lists once, on apply).
        var lists: [UInt64: String] = [:]
        let named = try projections.query(
            sql: "SELECT seq, list FROM benchmark_instances WHERE instance_id = ?1", arguments: [id])
        for row in named.rows {
            if let seq = row[0].int64Value, let list = row[1].stringValue {
                seqs.insert(UInt64(seq))
                lists[UInt64(seq)] = list
            }
        }
        guard !seqs.isEmpty else { throw LogError(.notFound, "no event names the instance '\(instance)'") }
        let retractions = try retracted(instance, projections)
        return try seqs.sorted().map {
            Entry(event: try log.event(seq: $0), list: lists[$0], retracted: retractions[$0])
        }
    }

    /// Reasons by seq, for the instance's events that belong to a retracted version (its trajectories,
    /// verdicts, subset memberships and SFT lines, and the benchmark results that list it).
    static func retracted(_ instance: String, _ p: ProjectionEngine) throws -> [UInt64: String] {
        let sql = """
            SELECT t.seq, r.retracted FROM trajectory_history t
                JOIN runs r ON r.name = t.run AND r.version = t.run_version
                WHERE t.instance_id = ?1 AND r.retracted IS NOT NULL
            UNION ALL SELECT v.seq, e.retracted FROM verdict_history v
                JOIN eval_runs e ON e.name = v.eval_run AND e.version = v.eval_version
                WHERE v.instance_id = ?1 AND e.retracted IS NOT NULL
            UNION ALL SELECT m.seq, s.retracted FROM subset_members m
                JOIN subsets s ON s.name = m.subset AND s.definition = m.definition
                WHERE m.instance_id = ?1 AND s.retracted IS NOT NULL
            UNION ALL SELECT l.seq, d.retracted FROM sft_samples l
                JOIN sft_datasets d ON d.name = l.dataset AND d.build = l.build
                WHERE l.instance_id = ?1 AND d.retracted IS NOT NULL
            UNION ALL SELECT seq, retracted FROM benchmark_results WHERE retracted IS NOT NULL
            """
        var reasons: [UInt64: String] = [:]
        for row in try p.query(sql: sql, arguments: [.text(instance)]).rows {
            if let seq = row[0].int64Value, let reason = row[1].stringValue { reasons[UInt64(seq)] = reason }
        }
        return reasons
    }

    /// The history's columns: seq, type and facts are always shown; the stream goes first, then the time.
    static let columns = [
        TableColumn("seq", .number), TableColumn("recorded_at", .identifier, drop: 2),
        TableColumn("type", .identifier), TableColumn("stream", .identifier, drop: 3),
        TableColumn("facts", .words),
    ]

    /// One row per event: seq, time (ISO 8601), type, stream, and the facts that matter for an instance,
    /// fitted to `layout` (throws `TableError` for an unknown `--columns`).
    public static func table(_ entries: [Entry], layout: TableLayout = .unlimited) throws -> RenderedTable {
        let rows = entries.map { entry -> [String] in
            let e = entry.event
            var facts = (try? EventCatalog.decode(e)).map { self.facts($0, list: entry.list) } ?? ["(unreadable)"]
            if let reason = entry.retracted { facts.append("retracted: \(reason)") }
            return [
                String(e.seq), TableTime.iso(milliseconds: e.recordedAt), e.type, e.stream,
                facts.joined(separator: " "),
            ]
        }
        return try TextTable.render(columns, rows, layout: layout)
    }

    /// `key=value` facts of one event, read from its type's fields.
    static func facts(_ event: any PipelineEvent, list: String?) -> [String] {
        func fact(_ key: String, _ value: (any CustomStringConvertible)?) -> String? {
            value.map { "\(key)=\($0)" }
        }
        func money(_ v: Double?) -> String? { v.map { PythonFloat.repr($0) } }
        let found: [String?]
        switch event {
        case let e as InstanceRegistered: found = [fact("dataset", e.dataset)]
        case let e as InstanceSelected: found = [fact("subset", e.subset)]
        // A subset recorded since SubsetDefined v2 names its members in its blob: the definition is the entry.
        case let e as SubsetDefined: found = [fact("subset", e.name)]
        case let e as TrajectoryProduced:
            found = [
                // Unknown facts are left out, as lineage leaves them out.
                fact("run", e.run), fact("exit_status", e.exitStatus), fact("steps", e.steps),
                fact("instance_cost", money(e.instanceCost)),
            ]
        case let e as EvalVerdictRecorded:
            found = [fact("eval_run", e.evalRun), fact("resolved", e.resolved)]
        case let e as FtSampleEmitted: found = [fact("dataset", e.dataset)]
        case let e as BenchmarkEvaluated:
            // A result's `resolved` is a count; what matters here is which list holds the instance.
            found =
                [fact("benchmark", e.benchmark), fact("model", e.model), fact("checkpoint", e.checkpoint)]
                + [list.map { "in=\($0)" }]
        default: found = []
        }
        return found.compactMap { $0 }
    }
}
