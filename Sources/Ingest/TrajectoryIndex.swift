import SmithDomain
import SmithJSON
import SmithStore

/// The trajectories already in the log, per run and instance: what evaluation ingest links verdicts to.
///
/// Built by one pass over the TrajectoryProduced type index; a later event for the same run and
/// instance supersedes an earlier one.
struct TrajectoryIndex {
    struct Entry {
        var eventID: Digest
        var submissionSHA256: String?
    }

    private(set) var runs: [String: [String: Entry]] = [:]

    /// Indexes every run's trajectories, or only `run`'s (read from its stream, so an evaluation of a known
    /// run touches that run's events and not the whole store's).
    init(log: EventLog, run onlyRun: String? = nil) throws {
        var runs: [String: [String: Entry]] = [:]
        let visit = { (e: RecordedEvent) throws -> Bool in
            guard e.type == EventType.trajectoryProduced.rawValue else { return true }
            let payload = try e.payload()
            guard let run = payload["run"]?.stringValue, let instance = payload["instance_id"]?.stringValue else {
                return true
            }
            runs[run, default: [:]][instance] = Entry(
                eventID: e.id, submissionSHA256: payload["submission_sha256"]?.stringValue)
            return true
        }
        if let onlyRun {
            try log.forEach(stream: StreamName.run(onlyRun), visit)
        } else {
            try log.forEach(type: EventType.trajectoryProduced.rawValue, visit)
        }
        self.runs = runs
    }

    /// Runs that hold a trajectory for every one of `instances`, best patch-hash agreement first.
    func candidates(for instances: Set<String>, patchHashes: [String: String]) -> [(run: String, matches: Int)] {
        runs.compactMap { run, entries -> (String, Int)? in
            guard instances.isSubset(of: entries.keys) else { return nil }
            let matches = patchHashes.filter { entries[$0.key]?.submissionSHA256 == $0.value }.count
            return (run, matches)
        }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
    }
}
