public import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog history INSTANCE_ID`: every event that touched one instance, in log order, across runs.
public enum InstanceHistory {
    public static func events(
        of instance: String, log: EventLog, projections: ProjectionEngine
    ) throws
        -> [RecordedEvent]
    {
        let q = SQLText.literal(instance)
        // Seqs from every table keyed by instance id (superseded rows included), then the instance's own stream.
        let sql = """
            SELECT seq FROM instances WHERE instance_id = \(q)
            UNION SELECT seq FROM subset_members WHERE instance_id = \(q)
            UNION SELECT seq FROM trajectory_history WHERE instance_id = \(q)
            UNION SELECT seq FROM verdict_history WHERE instance_id = \(q)
            UNION SELECT seq FROM sft_samples WHERE instance_id = \(q)
            ORDER BY seq
            """
        var seqs = Set(try projections.query(sql: sql).rows.compactMap { $0.first?.int64Value.map(UInt64.init) })
        try log.forEach(stream: "instance/" + instance) { e in
            seqs.insert(e.seq)
            return true
        }
        return try seqs.sorted().map { try log.event(seq: $0) }
    }

    /// One line per event: seq, time, type, stream, and the payload facts that matter for an instance.
    public static func text(_ events: [RecordedEvent]) -> String {
        let keys = ["dataset", "subset", "run", "eval_run", "exit_status", "resolved", "steps", "instance_cost"]
        let rows = events.map { e -> [String] in
            let payload = (try? e.payload()) ?? .null
            let facts = keys.compactMap { k in payload[k].map { "\(k)=\(PythonRepr.str($0))" } }
            return [
                String(e.seq), Timestamp.iso8601(milliseconds: e.recordedAt), e.type, e.stream,
                facts.joined(separator: " "),
            ]
        }
        return Format.table(["seq", "recorded_at", "type", "stream", "facts"], rows)
    }
}
