import SmithDomain
public import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog history INSTANCE_ID`: every event that touched one instance, in log order, across runs.
///
/// The projections' seq columns find most of them; the log fills in what the projections no longer hold
/// (selections and SFT lines of replaced subset definitions and SFT builds) and the benchmark results whose
/// id lists name the instance.
public enum InstanceHistory {
    /// One event of the history; `list` names the benchmark id list (`resolved_ids`, ...) the instance is in.
    public struct Entry: Sendable {
        public var event: RecordedEvent
        public var list: String?

        /// The event as `show` prints it, plus `instance_in` for a benchmark result.
        public var json: JSONValue {
            guard let list, case .object(var fields) = event.jsonValue else { return event.jsonValue }
            fields.append(("instance_in", .string(list)))
            return .object(fields)
        }
    }

    /// The instance's events in seq order; throws `.notFound` when nothing in the log names it.
    public static func entries(of instance: String, log: EventLog, projections: ProjectionEngine) throws -> [Entry] {
        let q = SQLText.literal(instance)
        // Every table keyed by instance id; the *_history views include the replaced trajectories and verdicts.
        let sql = """
            SELECT seq FROM instances WHERE instance_id = \(q)
            UNION SELECT seq FROM subset_members WHERE instance_id = \(q)
            UNION SELECT seq FROM trajectory_history WHERE instance_id = \(q)
            UNION SELECT seq FROM verdict_history WHERE instance_id = \(q)
            UNION SELECT seq FROM sft_samples WHERE instance_id = \(q)
            """
        var seqs = Set(try projections.query(sql: sql).rows.compactMap { $0.first?.int64Value.map(UInt64.init) })
        try log.forEach(stream: StreamName.instance(instance)) { e in
            seqs.insert(e.seq)
            return true
        }
        for stream in try replacedStreams(log) {
            try log.forEach(stream: stream) { e in
                if try e.payload()["instance_id"]?.stringValue == instance { seqs.insert(e.seq) }
                return true
            }
        }
        var lists: [UInt64: String] = [:]
        try log.forEach(type: EventType.benchmarkEvaluated.rawValue) { e in
            if let list = try benchmarkList(naming: instance, in: e, log: log) {
                seqs.insert(e.seq)
                lists[e.seq] = list
            }
            return true
        }
        guard !seqs.isEmpty else { throw LogError(.notFound, "no event names the instance '\(instance)'") }
        return try seqs.sorted().map { Entry(event: try log.event(seq: $0), list: lists[$0]) }
    }

    /// Subset and SFT streams defined more than once: the projections keep only the members and lines of the
    /// definition in force, so the replaced ones are read from these streams.
    static func replacedStreams(_ log: EventLog) throws -> [String] {
        var count: [String: Int] = [:]
        for type in [EventType.subsetDefined, .sftDatasetBuilt] {
            try log.forEach(type: type.rawValue) { e in
                count[e.stream, default: 0] += 1
                return true
            }
        }
        return count.filter { $0.value > 1 }.map(\.key).sorted()
    }

    /// The first id list of a BenchmarkEvaluated's id-list blob that names `instance`, nil when none does.
    static func benchmarkList(naming instance: String, in e: RecordedEvent, log: EventLog) throws -> String? {
        guard let hex = try e.payload()["ids_sha256"]?.stringValue, let digest = Digest(hex: hex) else { return nil }
        let lists = try JSONParser.parse(try log.blob(digest))
        for (key, ids) in lists.objectValue ?? [] where ids.arrayValue?.contains(.string(instance)) == true {
            return key
        }
        return nil
    }

    /// One line per event: seq, time, type, stream, and the payload facts that matter for an instance.
    public static func text(_ entries: [Entry]) -> String {
        let keys = ["dataset", "subset", "run", "eval_run", "exit_status", "resolved", "steps", "instance_cost"]
        let rows = entries.map { entry -> [String] in
            let e = entry.event
            let payload = (try? e.payload()) ?? .null
            var facts: [String]
            if let list = entry.list {
                // A benchmark's `resolved` is a count; what matters here is which list holds the instance.
                facts = ["benchmark", "model", "checkpoint"].compactMap { k in
                    payload[k].flatMap { $0 == .null ? nil : "\(k)=\(PythonRepr.str($0))" }
                }
                facts.append("in=\(list)")
            } else {
                facts = keys.compactMap { k in payload[k].map { "\(k)=\(PythonRepr.str($0))" } }
            }
            return [
                String(e.seq), Timestamp.iso8601(milliseconds: e.recordedAt), e.type, e.stream,
                facts.joined(separator: " "),
            ]
        }
        return Format.table(["seq", "recorded_at", "type", "stream", "facts"], rows)
    }
}
