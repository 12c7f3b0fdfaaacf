import SmithDomain
import SmithStore

/// `runs` and `trajectories`: agent run-batches (a row per version) and every trajectory recorded for them,
/// pinned to the run version in force when it was recorded (`run_version`).
///
/// A re-recorded trajectory (same run and instance, other bytes: a new event) replaces the row; the
/// schema's trigger moves the replaced one to `superseded_trajectories`, so the history stays queryable.
/// `runs.instances` counts the instances recorded under each version: it grows when the same folder is
/// ingested again with more trajectories.
final class RunProjection: Projection {
    static let name = "runs"
    static let eventTypes: [EventType] = [.runStarted, .trajectoryProduced]

    private let versions: VersionedTable
    private let pins: ReferencePins
    private let insertRun: SQLiteStatement
    private let addInstances: SQLiteStatement
    private let recountInstances: SQLiteStatement
    private let trajectories: KeyedUpsert
    private var inForce: VersionInForce
    private var counts = InstanceCounts()

    init(_ context: ProjectionContext) throws(ProjectionError) {
        let db = context.database
        versions = try VersionedTable(.run, db)
        pins = try ReferencePins([.subset, .checkpoint], db)
        let count = "(SELECT count(DISTINCT instance_id) FROM trajectory_history WHERE run = ?1 AND run_version = ?2)"
        insertRun = try db.cachedStatement(
            """
            INSERT INTO runs (name, version, latest, retracted, model, agent_version, config_file, config_json,
                config_sha256, subset, subset_version, folder, instances, recorded_at, seq, scaffold, checkpoint,
                checkpoint_version)
            VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \(count), ?12, ?13, ?14, ?15, ?16)
            """)
        addInstances = try db.cachedStatement(
            "UPDATE runs SET instances = instances + ?3 WHERE name = ?1 AND version = ?2")
        recountInstances = try db.cachedStatement(
            "UPDATE runs SET instances = \(count) WHERE name = ?1 AND version = ?2")
        trajectories = try KeyedUpsert(context, .trajectories)
        inForce = try VersionInForce("runs", db)
    }

    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws {
        switch decoded {
        case .runStarted(let r):
            // Its instance count reads the trajectories recorded so far (some may come before it).
            try flushPending()
            let version = try versions.next(r.name)
            var p = Parameters(insertRun)
            try p.add(r.name)
            try p.add(version)
            try p.add(versions.retracted(r.name, version))
            try p.add(r.model)
            try p.add(r.agentVersion)
            try p.add(r.configFile)
            try p.add(ColumnJSON.text(r.config))
            try p.addHex(r.configSHA256)
            try p.add(r.subset)
            try p.add(pins.version(r.subset, .subset))
            try p.add(r.folder)
            try p.add(event.recordedAt)
            try p.add(event.seq)
            try p.add(r.scaffold)
            try p.add(r.checkpoint)
            try p.add(pins.version(r.checkpoint, .checkpoint))
            try p.execute()
            try versions.refreshLatest(r.name)
            inForce.recorded(r.name, version)
        case .trajectoryProduced(let t):
            let version = try inForce.of(t.run)
            // A first recording inserts; a re-recording updates in place (the trigger keeps the old).
            let new = try trajectories.run(t.run, t.instanceID) { p in
                try p.add(t.run)
                try p.add(t.instanceID)
                try p.add(version)
                try p.add(event.seq)
                try p.addHex(event.id)
                try p.addHex(t.trajectory)
                try p.add(t.format)
                try p.add(t.exitStatus)
                try p.addHex(t.submission)
                try p.add(t.instanceCost)
                try p.add(t.tokensSent)
                try p.add(t.tokensReceived)
                try p.add(t.apiCalls)
                try p.add(t.steps)
                try p.add(t.sweAgentVersion)
                try p.add(t.sweRexVersion)
                try p.add(event.recordedAt)
            }
            counts.note(t.run, version, new: new)
        default:
            break
        }
    }

    func flushPending() throws {
        try trajectories.flush()
        try counts.write(add: addInstances, recount: recountInstances)
        inForce.forget()
    }

    func discardPending() {
        trajectories.discard()
        counts = InstanceCounts()
        inForce.forget()
    }
}

/// Instances recorded per run version since the last commit, written to `runs.instances` before it.
///
/// A new (run, instance) key adds one to its version; a replaced one may move an instance between versions,
/// so that version is counted again from the table. Trajectories come in long runs of one run name, so the
/// last key is kept apart from the dictionary.
struct InstanceCounts {
    private struct Key: Hashable {
        var run: String
        var version: Int64
    }

    private var last = Key(run: "", version: 0)
    private var lastAdded = 0
    private var added: [Key: Int] = [:]
    private var recount: Set<Key> = []

    mutating func note(_ run: String, _ version: Int64, new: Bool) {
        if version != last.version || run != last.run {
            if lastAdded > 0 { added[last, default: 0] += lastAdded }
            last = Key(run: run, version: version)
            lastAdded = 0
        }
        if new { lastAdded += 1 } else { recount.insert(last) }
    }

    mutating func write(add: SQLiteStatement, recount count: SQLiteStatement) throws(ProjectionError) {
        if lastAdded > 0 { added[last, default: 0] += lastAdded }
        for (key, n) in added where !recount.contains(key) {
            try add.bind(1, key.run)
            try add.bind(2, key.version)
            try add.bind(3, Int64(n))
            try add.execute()
        }
        for key in recount {
            try count.bind(1, key.run)
            try count.bind(2, key.version)
            try count.execute()
        }
        self = InstanceCounts()
    }
}
