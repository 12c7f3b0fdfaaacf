import SmithJSON
import SmithProjections
import SmithStore

/// One recorded trajectory, read from its blob: the steps (parsed once per request, sent a page at a time),
/// the submitted patch and the dataset row's gold patch and test lists.
struct LoadedTrajectory {
    var run: RunLookup.Run
    var instance: String
    var seq: Int64
    var format: String
    var exitStatus: String?
    var steps: [JSONValue]
    var submission: String?
    var blobSize: Int

    /// The trajectory of `instance` in `runText` (`NAME` or `NAME@N`); a 404 when either is unknown.
    static func load(_ site: Site, run runText: String, instance: String) throws -> LoadedTrajectory {
        guard let run = try RunLookup.find("runs", runText, site.store) else {
            throw PageNotFound("no trajectory run is named '\(runText)'")
        }
        guard
            let row = try site.store.query(
                "SELECT seq, format, exit_status FROM trajectories WHERE run = ? AND instance_id = ? AND run_version = ?",
                [.text(run.name), .text(instance), .integer(run.version)]
            ).first, let seq = row[0].int64Value
        else { throw PageNotFound("run \(run.label) has no trajectory of '\(instance)'") }
        let event = try site.store.log.event(seq: UInt64(seq))
        let payload = try event.payload()
        guard let hex = payload["traj_sha256"]?.stringValue, let digest = Digest(hex: hex) else {
            throw PageNotFound("the trajectory event \(seq) names no blob")
        }
        let bytes = try site.store.log.blob(digest)
        let json = try JSONParser.parse(bytes)
        var steps = json["trajectory"]?.arrayValue ?? []
        if steps.isEmpty, let history = json["history"]?.arrayValue {
            // A history-only file: each message is shown as a step.
            steps = history.map { m in
                .object([("response", .string(m.text("content") ?? "")), ("thought", .string(m.text("role") ?? ""))])
            }
        }
        var submission = json["info"]?["submission"]?.stringValue
        if let hex = payload["submission_sha256"]?.stringValue, let d = Digest(hex: hex),
            let patch = try? site.store.log.blob(d)
        {
            submission = String(decoding: patch, as: UTF8.self)
        }
        return LoadedTrajectory(
            run: run, instance: instance, seq: seq, format: row[1].cell, exitStatus: row[2].stringValue, steps: steps,
            submission: submission, blobSize: bytes.count)
    }

    /// The instance's dataset row (gold patch, FAIL_TO_PASS, PASS_TO_PASS), when a dataset holding it was imported.
    static func datasetRow(_ site: Site, _ instance: String) -> JSONValue? {
        guard
            let seq = try? site.store.query(
                "SELECT seq FROM instances WHERE instance_id = ? ORDER BY seq DESC LIMIT 1", [.text(instance)]
            ).first?.first?.int64Value,
            let event = try? site.store.log.event(seq: UInt64(seq)), let d = event.blobs.first,
            let bytes = try? site.store.log.blob(d)
        else { return nil }
        return try? JSONParser.parse(bytes)
    }
}
