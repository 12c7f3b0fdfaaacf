import SmithDomain
import SmithStore

/// The trajectories already in the log, per run and instance: what evaluation ingest links verdicts to.
///
/// Built from the typed TrajectoryProduced events; a later event for the same run and instance supersedes an
/// earlier one.
struct TrajectoryIndex {
    struct Entry {
        /// The stored id of the TrajectoryProduced.
        var eventID: Digest
        var submission: Digest?
    }

    private(set) var runs: [String: [String: Entry]] = [:]

    /// Indexes every run's trajectories, or only `run`'s (read from its stream, so an evaluation of a known
    /// run touches that run's events and not the whole store's).
    init(log: EventLog, run onlyRun: String? = nil) throws {
        var runs: [String: [String: Entry]] = [:]
        try log.forEach(TrajectoryProduced.self, stream: onlyRun.map(StreamName.run)) { record, t in
            runs[t.run, default: [:]][t.instanceID] = Entry(eventID: record.id, submission: t.submission)
            return true
        }
        self.runs = runs
    }

    /// Runs that hold a trajectory for every one of `instances`, best patch-hash agreement first.
    func candidates(for instances: Set<String>, patchHashes: [String: Digest]) -> [(run: String, matches: Int)] {
        runs.compactMap { run, entries -> (String, Int)? in
            guard instances.isSubset(of: entries.keys) else { return nil }
            let matches = patchHashes.filter { entries[$0.key]?.submission == $0.value }.count
            return (run, matches)
        }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
    }
}
