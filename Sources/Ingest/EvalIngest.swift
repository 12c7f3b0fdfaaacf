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
    /// Ingests the evaluation folder as evaluation run `evalName` (default: the folder's run id).
    ///
    /// An evaluation run grows like a trajectory run: the same folder again (same layout, summary and model)
    /// appends only the verdicts not recorded yet. Another evaluation under a recorded name is refused with one
    /// line unless `newVersion`. `ofRun` is `NAME` or `NAME@N` of a recorded trajectory run. `runReport` is the
    /// SWE-bench run report (`<model>.<run_id>.json`, written into the harness's `--report_dir`) when it is not
    /// next to the run; a SWE-bench run without one is recorded with a note saying so.
    ///
    /// A folder in which no verdict could be read is refused with one line and nothing recorded (SWE-smith's
    /// `logs/run_validation/` is named as such).
    public static func run(
        folder: String, evalName: String?, ofRun: String?, newVersion: Bool = false, strict: Bool, log: EventLog,
        runReport: String? = nil, progress: IngestProgress? = nil
    ) throws -> IngestReport {
        var scanned = try EvalRunFolder.scan(folder, report: runReport)
        if let runReport, !scanned.summaries.contains(where: { $0.path == runReport }) {
            // A run report named on the command line is not skipped like a bad file found in the folder.
            throw IngestError(
                scanned.errors.first { $0.path == runReport }?.description ?? "\(runReport): --report: not read")
        }
        try refuseNonEvaluation(scanned, folder: folder)
        let name = evalName ?? scanned.runId
        guard !name.isEmpty else { throw IngestError("\(folder): cannot derive an evaluation run name; pass --run") }
        try log.checkNewName(
            name, .eval, field: evalName == nil ? "the evaluation run name taken from the folder name" : "--run",
            hint: evalName == nil ? "pass --run NAME" : nil)
        try EventValidation.name(name, evalName == nil ? "the evaluation run name taken from the folder" : "--run")
        if strict, let error = scanned.errors.first { throw error }
        if strict, let missing = scanned.instancesWithoutReport.first {
            throw IngestError("\(folder): \(missing): no report.json (an evaluation that did not finish?)")
        }
        // Every verdict's instance id is checked before anything is written.
        var badIds: [String] = []
        scanned.instances.removeAll { report in
            do {
                try EventValidation.instanceID(report.instanceId, "instance_id")
                return false
            } catch {
                badIds.append("\(report.path): \(error)")
                return true
            }
        }
        if strict, let bad = badIds.first { throw IngestError(bad) }

        var explicitRun: NamedVersion<RunStarted>?
        if let ofRun {
            explicitRun = try References.resolve(ofRun, .run, as: RunStarted.self, log: log, option: "--of-run")
        }
        var summaryBlob: PreparedBlob?
        if let summary = scanned.summaries.first, let bytes = try? FileReading.bytes(summary.path) {
            summaryBlob = PreparedBlob(bytes)
        }
        var metadataBlob: PreparedBlob?
        if let metadata = scanned.runMetadata, let bytes = try? FileReading.bytes(metadata.path) {
            metadataBlob = PreparedBlob(bytes)
        }
        let layout = scanned.layout.rawValue
        // SWE-bench names the model by its folder; SWE-smith writes model_name_or_path into every report.
        let model =
            scanned.instances.lazy.compactMap { $0.model ?? $0.verdict.modelNameOrPath }.first
            ?? scanned.summaries.first?.model
        let decision = try NameDecision<EvalRunStarted>(
            .eval, name, log: log, newVersion: newVersion,
            sameContent: {
                // Eval runs recorded before the model was read from SWE-smith reports have none.
                $0.head.layout == layout && $0.head.summary == summaryBlob?.digest && ($0.head.model ?? model) == model
            },
            describe: { v in
                "layout \(v.head.layout), summary sha256 \(shortHash(v.head.summary)), model \(v.head.model ?? "unknown")"
            })

        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        for missing in scanned.runReportsNotFound where runReport == nil {
            batcher.warn(
                "no run report \(missing) next to the run (the harness writes it into --report_dir, by default the "
                    + "folder it ran in); pass --report PATH to record it and its infra_failure_ids")
        }
        let kinds = VerdictKinds(scanned.summaries.first?.summary)
        for error in scanned.errors { batcher.skip(error.description) }
        for missing in scanned.instancesWithoutReport { batcher.skip("\(folder)/\(missing): no report.json") }
        for bad in badIds { batcher.skip(bad) }

        let runName = explicitRun.map { _ in VersionedName(parsing: ofRun!).name }
        let link = try linkedRun(scanned, explicit: runName, log: log, batcher: batcher)
        let trajectories = try link.map { try TrajectoryIndex.entries(log: log, run: $0) } ?? [:]

        var known = Set<KnownVerdict>()
        if decision.existing == nil {
            var linkLabel: String?
            if let explicitRun, let runName {
                linkLabel = explicitRun.label(runName)
            } else if let link {
                linkLabel = try log.resolve(VersionedName(name: link), .run, as: RunStarted.self).label(link)
            }
            let metadata = scanned.runMetadata
            let started = EvalRunStarted(
                name: name, ofRun: linkLabel, layout: layout, summary: summaryBlob?.digest, model: model,
                dataset: metadata?.dataset, split: metadata?.split, createdAt: metadata?.createdAt,
                runMetadata: metadataBlob?.digest)
            try batcher.add([try started.newEvent()], blobs: [summaryBlob, metadataBlob].compactMap { $0 })
        } else {
            batcher.countAlreadyRecorded(1)
            try log.forEach(EvalVerdictRecorded.self, stream: StreamName.evalRun(name)) { _, v in
                known.insert(KnownVerdict(instance: v.instanceID, report: v.report))
                return true
            }
        }

        var done = 0
        var bytesRead = 0
        // Reports are stored in packs of a transaction's worth (see PreparedBlobPack): one run's reports repeat
        // each other's keys and test names, so a pack of 32 stores about 6x smaller than its reports alone.
        // A pack and its verdicts commit together.
        var pending: [(report: EvalRunFolder.InstanceReport, bytes: [UInt8])] = []
        func flushPending() throws {
            guard !pending.isEmpty else { return }
            let pack = PreparedBlobPack(pending.map(\.bytes))
            let events = try zip(pending, pack.members).map { item, blob in
                try verdictEvent(
                    item.report, blob: blob.digest, evalRun: name, link: link, trajectories: trajectories, kinds: kinds
                ).newEvent()
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
            if known.contains(KnownVerdict(instance: report.instanceId, report: Digest.sha256(bytes))) {
                batcher.countAlreadyRecorded(1, artifacts: 1)
                continue
            }
            if let existing = decision.existing, existing.version != decision.versions.count {
                throw IngestError(
                    "\(folder): \(report.instanceId) is not recorded in \(existing.label(name)), which is not the "
                        + "latest version of evaluation run '\(name)': an older version cannot grow")
            }
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
        var report = batcher.report
        report.version = decision.label
        report.versionAlreadyRecorded = decision.existing != nil
        return report
    }

    /// A verdict as growth compares it: its instance and its report's SHA-256.
    private struct KnownVerdict: Hashable {
        var instance: String
        var report: Digest
    }

    /// Reports per pack: the batcher's transaction size, so a pack never waits on a second transaction.
    static let reportsPerPack = 32

    /// One instance's verdict; `link` is the trajectory run's name (verdicts join trajectories by run name).
    static func verdictEvent(
        _ report: EvalRunFolder.InstanceReport, blob: Digest, evalRun name: String, link: String?,
        trajectories: [String: TrajectoryIndex.Entry], kinds: VerdictKinds = VerdictKinds(nil)
    ) -> EvalVerdictRecorded {
        let v = report.verdict
        let (kind, reason) = kinds.kind(of: v)
        return EvalVerdictRecorded(
            evalRun: name, instanceID: report.instanceId, resolved: v.resolved, patchExists: v.patchExists,
            patchApplied: v.patchApplied, timedOut: v.timedOut, failToPassSuccess: v.f2pSuccess,
            failToPassFailure: v.f2pFailure, passToPassSuccess: v.p2pSuccess, passToPassFailure: v.p2pFailure,
            report: blob, ofRun: link, trajectory: trajectories[report.instanceId]?.eventID, kind: kind,
            infraReason: reason)
    }

    /// Refuses a folder in which no verdict could be read, before anything is written.
    static func refuseNonEvaluation(_ scanned: EvalRunFolder, folder: String) throws {
        guard scanned.instances.isEmpty && scanned.summaries.isEmpty else { return }
        if scanned.validationReports > 0 {
            throw IngestError(
                "\(folder): not an evaluation run: its report.json files are SWE-smith validation reports "
                    + "(logs/run_validation/, FAIL_TO_PASS/PASS_TO_PASS lists for swesmith.harness.gather); "
                    + "ingest eval takes logs/run_evaluation/<run_id>/")
        }
        if scanned.instancesWithoutReport.isEmpty, let first = scanned.errors.first {
            throw IngestError(
                "\(folder): not an evaluation run: no report could be read (\(scanned.errors.count) unreadable; "
                    + "first: \(first))")
        }
    }

    /// The trajectory run these verdicts evaluate, or nil (with a warning saying why).
    private static func linkedRun(
        _ scanned: EvalRunFolder, explicit: String?, log: EventLog,
        batcher: ArtifactBatcher
    ) throws -> String? {
        if let explicit { return explicit }
        let instances = Set(scanned.instances.map(\.instanceId))
        guard !instances.isEmpty else { return nil }
        let candidates = try TrajectoryIndex.candidates(
            log: log, for: instances, patchHashes: patchHashes(scanned))
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
    private static func patchHashes(_ scanned: EvalRunFolder) -> [String: Digest] {
        var out: [String: Digest] = [:]
        for r in scanned.instances {
            let diff = (r.path as NSString).deletingLastPathComponent + "/patch.diff"
            if let data = FileManager.default.contents(atPath: diff) {
                out[r.instanceId] = Digest.sha256([UInt8](data))
            }
        }
        return out
    }
}
