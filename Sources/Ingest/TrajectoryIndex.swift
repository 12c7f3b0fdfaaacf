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

    init(log: EventLog) throws {
        try log.forEach(type: "TrajectoryProduced") { e in
            let payload = try e.payload()
            guard let run = payload["run"]?.stringValue, let instance = payload["instance_id"]?.stringValue else {
                return true
            }
            runs[run, default: [:]][instance] = Entry(
                eventID: e.id, submissionSHA256: payload["submission_sha256"]?.stringValue)
            return true
        }
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
