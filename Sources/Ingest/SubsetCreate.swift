import SmithDomain
import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog subset create`: selects a dataset's instances with an SQL condition and records the selection.
///
/// The condition is evaluated by SQLite over the `instance_rows` view (the `instances` projection's columns
/// instance_id, repo, bug_type, f2p_count, p2p_count, image_name, created_at, position, and `row_json`, the
/// row read from the log when the condition uses it, for json_extract),
/// on a read-only connection. SubsetDefined and every InstanceSelected commit in one transaction.
public enum SubsetCreate {
    public struct Result: Sendable {
        public var report: IngestReport
        public var members: Int
    }

    public static func run(
        name: String, dataset: String, condition: String, log: EventLog,
        projections: ProjectionEngine
    ) throws -> Result {
        try projections.catchUp(log: log)
        let found = try projections.query(
            sql: "SELECT sha256 FROM datasets WHERE name = \(SQLText.literal(dataset))")
        guard let datasetSHA = found.rows.first?.first?.stringValue else {
            throw IngestError("no dataset named '\(dataset)' (see `smithlog sql \"SELECT name FROM datasets\"`)")
        }
        let members: [String]
        do {
            members = try projections.query(
                sql:
                    "SELECT instance_id FROM instance_rows WHERE dataset = \(SQLText.literal(dataset)) AND (\(condition))"
                    + " ORDER BY position"
            ).rows.compactMap { $0.first?.stringValue }
        } catch {
            throw IngestError("--where \"\(condition)\": \(error)")
        }

        var p = PayloadBuilder()
        p.set("name", name)
        p.set("dataset", dataset)
        p.set("dataset_sha256", datasetSHA)
        p.set("condition", condition)
        p.set("members", members.count)
        let defined = DomainEvent(.subsetDefined, stream: StreamName.subset(name), payload: p.value)
        let definition = defined.newEvent.id.hex
        var events = [defined]
        for (i, id) in members.enumerated() {
            var m = PayloadBuilder()
            m.set("subset", name)
            m.set("definition", definition)
            m.set("instance_id", id)
            m.set("position", i)
            events.append(DomainEvent(.instanceSelected, stream: StreamName.subset(name), payload: m.value))
        }
        let batcher = ArtifactBatcher(log: log, maxEvents: Int.max, maxBytes: Int.max)
        try batcher.add(events, blobs: [])
        try batcher.flush()
        return Result(report: batcher.report, members: members.count)
    }
}
