import Foundation
import SmithDomain
import SmithJSON
import SmithReaders
public import SmithStore

/// `smithlog ingest eval`: a harness's `logs/run_evaluation/<run_id>/` folder into the log.
///
/// Accepts the SWE-smith layout (flat per-instance report.json and a summary) and the SWE-bench one
/// (reports nested under `<model>/<instance>/` and a `<model>.<run_id>.json` run report). Each verdict
/// is linked to the trajectory that was evaluated: the run named by `--of-run`, or the one run whose
/// trajectories cover every evaluated instance (patch hashes break ties); an ambiguous match is
/// reported and left unlinked rather than guessed.
public enum EvalIngest {
    public static func run(
        folder: String, evalName: String?, ofRun: String?, strict: Bool, log: EventLog,
        progress: IngestProgress? = nil
    ) throws -> IngestReport {
        let scanned = try EvalRunFolder.scan(folder)
        let name = evalName ?? scanned.runId
        guard !name.isEmpty else { throw IngestError("\(folder): cannot derive an evaluation run name; pass --run") }
        if strict, let error = scanned.errors.first { throw error }
        if strict, let missing = scanned.instancesWithoutReport.first {
            throw IngestError("\(folder): \(missing): no report.json (an evaluation that did not finish?)")
        }
        let batcher = ArtifactBatcher(log: log)
        for error in scanned.errors { batcher.skip(error.description) }
        for missing in scanned.instancesWithoutReport { batcher.skip("\(folder)/\(missing): no report.json") }

        let index = try TrajectoryIndex(log: log, run: ofRun)
        let link = try linkedRun(scanned, explicit: ofRun, index: index, batcher: batcher)
        let trajectories = link.flatMap { index.runs[$0] } ?? [:]

        var summaryBlob: PreparedBlob?
        if let summary = scanned.summaries.first, let bytes = try? FileReading.bytes(summary.path) {
            summaryBlob = PreparedBlob(bytes)
        }
        var p = PayloadBuilder()
        p.set("name", name)
        p.set("of_run", link)
        p.set("layout", scanned.layout.rawValue)
        p.set("summary_sha256", summaryBlob?.digest.hex)
        p.set("model", scanned.instances.lazy.compactMap(\.model).first ?? scanned.summaries.first?.model)
        try batcher.add(
            [
                DomainEvent(
                    .evalRunStarted, stream: StreamName.evalRun(name), payload: p.value,
                    blobs: summaryBlob.map { [$0.digest] } ?? [])
            ],
            blobs: summaryBlob.map { [$0] } ?? [])

        var done = 0
        var bytesRead = 0
        // Reports are stored in packs of a transaction's worth (see PreparedBlobPack): one run's reports repeat
        // each other's keys and test names, so a pack of 32 stores about 6x smaller than its reports alone.
        // A pack and its verdicts commit together.
        var pending: [(report: EvalRunFolder.InstanceReport, bytes: [UInt8])] = []
        func flushPending() throws {
            guard !pending.isEmpty else { return }
            let pack = PreparedBlobPack(pending.map(\.bytes))
            let events = zip(pending, pack.members).map { item, blob in
                verdictEvent(item.report, blob: blob.digest, evalRun: name, link: link, trajectories: trajectories)
            }
            try batcher.add(events, blobs: pack.blobs, artifacts: events.count)
            pending.removeAll(keepingCapacity: true)
        }
        for report in scanned.instances {
            defer {
                done += 1
                if done % 64 == 0 { progress?(done, scanned.instances.count, bytesRead) }
            }
            let bytes: [UInt8]
            do {
                bytes = try FileReading.bytes(report.path)
            } catch {
                if strict { throw error }
                batcher.skip(String(describing: error))
                continue
            }
            bytesRead += bytes.count
            if link != nil && trajectories[report.instanceId] == nil {
                batcher.warn("\(report.instanceId): evaluated, but run '\(link!)' has no trajectory for it")
            }
            pending.append((report, bytes))
            if pending.count == Self.reportsPerPack { try flushPending() }
        }
        try flushPending()
        progress?(done, scanned.instances.count, bytesRead)
        batcher.addBytesRead(bytesRead)
        try batcher.flush()
        return batcher.report
    }

    /// Reports per pack: the batcher's transaction size, so a pack never waits on a second transaction.
    static let reportsPerPack = 32

    static func verdictEvent(
        _ report: EvalRunFolder.InstanceReport, blob: Digest, evalRun name: String, link: String?,
        trajectories: [String: TrajectoryIndex.Entry]
    ) -> DomainEvent {
        let v = report.verdict
        var p = PayloadBuilder()
        p.set("eval_run", name)
        p.set("instance_id", report.instanceId)
        p.set("resolved", v.resolved)
        p.set("patch_exists", v.patchExists)
        p.set("patch_applied", v.patchApplied)
        p.set("timed_out", v.timedOut)
        p.set("f2p_success", v.f2pSuccess)
        p.set("f2p_failure", v.f2pFailure)
        p.set("p2p_success", v.p2pSuccess)
        p.set("p2p_failure", v.p2pFailure)
        p.set("report_sha256", blob.hex)
        p.set("of_run", link)
        p.set("trajectory", trajectories[report.instanceId]?.eventID.hex)
        return DomainEvent(.evalVerdictRecorded, stream: StreamName.evalRun(name), payload: p.value, blobs: [blob])
    }

    /// The trajectory run these verdicts evaluate, or nil (with a warning saying why).
    private static func linkedRun(
        _ scanned: EvalRunFolder, explicit: String?, index: TrajectoryIndex,
        batcher: ArtifactBatcher
    ) throws -> String? {
        if let explicit {
            guard index.runs[explicit] != nil else {
                throw IngestError("--of-run \(explicit): no trajectory run of that name is recorded")
            }
            return explicit
        }
        let instances = Set(scanned.instances.map(\.instanceId))
        guard !instances.isEmpty else { return nil }
        let candidates = index.candidates(for: instances, patchHashes: patchHashes(scanned))
        switch candidates.count {
        case 0:
            batcher.warn("no recorded trajectory run covers these instances; verdicts are not linked (use --of-run)")
            return nil
        case 1:
            batcher.warn("linked to trajectory run '\(candidates[0].run)' by instance ids")
            return candidates[0].run
        default:
            if candidates[0].matches > candidates[1].matches {
                batcher.warn("linked to trajectory run '\(candidates[0].run)' by patch hashes")
                return candidates[0].run
            }
            let names = candidates.prefix(5).map(\.run).joined(separator: ", ")
            batcher.warn("ambiguous: runs \(names) all cover these instances; verdicts are not linked (use --of-run)")
            return nil
        }
    }

    /// SHA-256 of each instance's evaluated patch, where the harness left a `patch.diff` beside the report.
    private static func patchHashes(_ scanned: EvalRunFolder) -> [String: String] {
        var out: [String: String] = [:]
        for r in scanned.instances {
            let diff = (r.path as NSString).deletingLastPathComponent + "/patch.diff"
            if let data = FileManager.default.contents(atPath: diff) {
                out[r.instanceId] = Digest.sha256([UInt8](data)).hex
            }
        }
        return out
    }
}
