import SmithDomain
import SmithStore

/// The trajectories already in the log, per run and instance: what evaluation ingest links verdicts to.
///
/// Built from the typed TrajectoryProduced events, one run at a time from the run's own stream; a later event
/// for the same instance supersedes an earlier one.
enum TrajectoryIndex {
    struct Entry {
        /// The stored id of the TrajectoryProduced.
        var eventID: Digest
        var submission: Digest?
    }

    /// `run`'s trajectories by instance id (every version's; empty when the run has none).
    static func entries(log: EventLog, run: String) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        try log.forEach(TrajectoryProduced.self, stream: StreamName.run(run)) { record, t in
            if t.run == run { entries[t.instanceID] = Entry(eventID: record.id, submission: t.submission) }
            return true
        }
        return entries
    }

    /// Runs that hold a trajectory for every one of `instances`, best patch-hash agreement first.
    ///
    /// The runs are read one after another, each from its own stream, and only its count of agreeing patches
    /// is kept: memory follows one run's size, not the whole store's trajectories.
    static func candidates(
        log: EventLog, for instances: Set<String>, patchHashes: [String: Digest]
    ) throws -> [(run: String, matches: Int)] {
        var runs = Set<String>()
        try log.forEach(RunStarted.self) { _, started in
            runs.insert(started.name)
            return true
        }
        var found: [(run: String, matches: Int)] = []
        for run in runs {
            let trajectories = try Self.entries(log: log, run: run)
            guard instances.isSubset(of: trajectories.keys) else { continue }
            let matches = patchHashes.filter { trajectories[$0.key]?.submission == $0.value }.count
            found.append((run, matches))
        }
        return found.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
    }
}
