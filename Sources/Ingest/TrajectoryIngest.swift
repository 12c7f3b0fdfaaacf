import Foundation
import SmithDomain
import SmithJSON
import SmithReaders
public import SmithStore

/// `smithlog ingest trajectories`: a SWE-agent or mini-swe-agent run-batch folder into the log.
///
/// Records RunStarted (with the scaffold the trajectories name), then one TrajectoryProduced per `.traj` /
/// `.traj.json` (the file as a blob, the patch as a second blob, its place in the folder's listing order). Trajectories are read, hashed and compressed on all cores in small chunks, so memory
/// stays flat however large the run; each trajectory's events and blobs commit together.
public enum TrajectoryIngest {
    /// How many trajectories are prepared together before their events are handed to the batcher, and how
    /// many bytes of them at most (a chunk always takes at least one). The chunk's first trajectory is the
    /// reference the others are compressed against (see `PreparedTrajectory.prepareChunk`), so more files store
    /// smaller; memory holds the reference and one file per core, not the whole chunk.
    static let chunkSize = 12
    static let chunkBytes = 16 << 20

    /// Ingests the run folder at `folder` as run `runName` (default: the folder's name).
    ///
    /// A run grows: ingesting the same folder again (SWE-agent resumes write into it) appends only the
    /// trajectories not recorded yet, with no second RunStarted. A run recorded before runs kept their folder
    /// is the same run when its model and config are. Another folder, model or config under a recorded run
    /// name is refused with one line unless `newVersion`. A folder in which no trajectory can be read is
    /// refused with one line and nothing recorded. The model is `model` when given, else the config's
    /// (`args.yaml`, `run_batch.config.yaml`), else the first readable trajectory's (`replay_config`,
    /// `info.config.model`). `subsetFor` names the recorded subset a run's instance ids match (as `NAME@N`, see
    /// `SubsetMatch`). `checkpoint` (`NAME` or `NAME@N` of a recorded checkpoint) records the run as that
    /// checkpoint's inference run.
    public static func run(
        folder: String, runName: String?, newVersion: Bool = false, strict: Bool, log: EventLog,
        subsetFor: ((Set<String>) throws -> String?)? = nil, progress: IngestProgress? = nil,
        checkpoint: String? = nil, model: String? = nil
    ) throws -> IngestReport {
        // The run's listing, predictions and exit statuses (a few hundred bytes a trajectory) are freed when
        // `ingest` returns, after the last commit's trim: trimmed again so that the catch-up that follows does
        // not carry them (its resident heap at 2,600 trajectories: 7.4 -> 6.4 MB; 6.1 MB at 650).
        defer { HeapPolicy.afterCommit() }
        return try ingest(
            folder: folder, runName: runName, newVersion: newVersion, strict: strict, log: log, subsetFor: subsetFor,
            progress: progress, checkpoint: checkpoint, model: model)
    }

    private static func ingest(
        folder: String, runName: String?, newVersion: Bool, strict: Bool, log: EventLog,
        subsetFor: ((Set<String>) throws -> String?)?, progress: IngestProgress?, checkpoint: String?,
        model: String?
    ) throws -> IngestReport {
        // Only each patch's hash is kept for the checks, as the predictions are read: preds.json holds every patch of
        // the run (3.5 MB for 2,600 trajectories), and read whole (with its parse tree) it was an ingest's peak.
        var predictions: [String: Digest?] = [:]
        var run = try RunFolderReader.read(atPath: folder, patches: false) { p in
            // The first entry for an instance counts; a null or empty patch is kept as nil, not dropped.
            if predictions[p.instanceId] == nil {
                predictions.updateValue(patchKey(p.modelPatch), forKey: p.instanceId)
            }
        }
        // Read in part (a bad entry part-way) counts as not read, as when the file was read whole.
        if !run.predictionsHandedOut { predictions = [:] }
        let hasPredictions = run.predictionsHandedOut
        if let model { run.modelName = model }
        let checkpointLabel = try checkpoint.map { given in
            let version = try References.resolve(
                given, .checkpoint, as: CheckpointSaved.self, log: log, option: "--checkpoint")
            return version.label(version.head.name)
        }
        let name = runName ?? run.name
        guard !name.isEmpty else { throw IngestError("\(folder): cannot derive a run name; pass --run") }
        try log.checkNewName(
            name, .run, field: runName == nil ? "the run name taken from the folder name" : "--run",
            hint: runName == nil ? "pass --run NAME" : nil)
        try EventValidation.name(name, runName == nil ? "the run name taken from the folder name" : "--run")
        if strict, let problem = run.problems.first { throw problem }
        if strict {
            // Validate everything first so a bad file under --strict leaves the log untouched.
            for t in run.trajectories {
                let summary = try TrajectoryReader.read(atPath: t.path)
                do {
                    try EventValidation.instanceID(summary.instanceId, "instance_id")
                } catch {
                    throw IngestError("\(t.path): \(error)")
                }
            }
        }
        let absoluteFolder = URL(fileURLWithPath: folder).standardizedFileURL.path
        var configBlob: PreparedBlob?
        if let configPath = run.configPath, let bytes = try? FileReading.bytes(configPath) {
            configBlob = PreparedBlob(bytes)
        }
        // Chunks are read, hashed and compressed on all cores; the first is prepared before RunStarted, which
        // records the scaffold, agent version (and model, without a config) the first readable trajectory
        // carries (so no file is read twice for it).
        func prepare(from start: Int) -> [PreparedTrajectory.Outcome] {
            var end = start
            var bytes = 0
            var largest = 0
            while end < min(start + chunkSize, run.trajectories.count) {
                let size = FileReading.size(run.trajectories[end].path) ?? 0
                if end > start && bytes + size > chunkBytes { break }
                bytes += size
                largest = max(largest, size)
                end += 1
            }
            return PreparedTrajectory.prepareChunk(
                Array(run.trajectories[start..<end]), largestFile: largest, run: name, log: log,
                exitStatuses: run.exitStatuses)
        }
        // Chunks are prepared until one trajectory reads: a folder where none does is refused before anything
        // is written. The failures seen meanwhile are reported once the batcher exists.
        var prepared = prepare(from: 0)
        var failedBefore: [String] = []
        var start = prepared.count
        while first(prepared) == nil && start < run.trajectories.count {
            failedBefore += failures(prepared)
            prepared = prepare(from: start)
            start += prepared.count
        }
        // Only its summary is kept: the chunk's bytes go as soon as they are recorded.
        guard let head = first(prepared)?.summary else {
            // The first reason, its middle cut so that the refusal stays one short line.
            var reason = (failedBefore + failures(prepared)).first ?? "none"
            if reason.count > 180 { reason = reason.prefix(60) + "…" + reason.suffix(119) }
            throw IngestError(
                "\(folder): no trajectory could be read (\(run.trajectories.count) file"
                    + "\(run.trajectories.count == 1 ? "" : "s"); first: \(reason))")
        }
        let model = run.modelName ?? head.modelName
        let decision = try NameDecision<RunStarted>(
            .run, name, log: log, newVersion: newVersion,
            sameContent: { v in
                // A run recorded before folders were kept is the same run when its model and config are.
                v.head.folder.map { $0 == absoluteFolder }
                    ?? (v.head.model == model && v.head.configSHA256 == configBlob?.digest)
            },
            describe: { v in
                "folder \(v.head.folder ?? "not recorded"), model \(v.head.model ?? "unknown"), config sha256 "
                    + shortHash(v.head.configSHA256)
            },
            hint: runName == nil
                ? "the run name was taken from the folder name; pass --run NAME to record this folder under another name"
                : nil)
        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        for problem in run.problems { batcher.warn(problem.description) }
        for reason in failedBefore { batcher.skip(reason) }
        // Growing a recorded version: what its stream already holds is not appended again (compared by
        // instance and trajectory hash, so this holds for trajectories recorded by earlier releases too).
        var known = Set<KnownTrajectory>()
        if decision.existing != nil {
            try log.forEach(TrajectoryProduced.self, stream: StreamName.run(name)) { _, t in
                known.insert(KnownTrajectory(instance: t.instanceID, trajectory: t.trajectory))
                return true
            }
        }

        if decision.existing == nil {
            let started = RunStarted(
                name: name, model: model, agentVersion: head.agentVersion,
                configFile: run.configPath.map(FileReading.baseName), config: run.config,
                configSHA256: configBlob?.digest, subset: try subsetFor?(Set(run.trajectories.map(\.instanceId))),
                instances: run.trajectories.count, folder: absoluteFolder, scaffold: head.scaffold.rawValue,
                checkpoint: checkpointLabel)
            try batcher.add([try started.newEvent()], blobs: configBlob.map { [$0] } ?? [])
        } else {
            batcher.countAlreadyRecorded(1)
        }

        // mini-swe-agent's files are merged (a later one supersedes an earlier one): named as the newest.
        let exitStatusesName =
            run.exitStatusesPaths.count > 1
            ? "the newest of \(run.exitStatusesPaths.count) exit_statuses_*.yaml naming it"
            : run.exitStatusesPath.map(FileReading.baseName) ?? "the exit statuses"
        var done = failedBefore.count
        var bytesRead = 0
        var next: [PreparedTrajectory.Outcome]? = prepared
        prepared = []
        while let chunk = next {
            next = nil
            for item in chunk {
                switch item {
                case .failure(let reason):
                    batcher.skip(reason)
                case .success(let t):
                    bytesRead += t.rawSize
                    if known.contains(KnownTrajectory(instance: t.summary.instanceId, trajectory: t.blobs[0].digest)) {
                        batcher.countAlreadyRecorded(1, artifacts: 1)
                    } else {
                        if let existing = decision.existing, existing.version != decision.versions.count {
                            throw IngestError(
                                "\(folder): \(t.summary.instanceId) is not recorded in \(existing.label(name)), which is "
                                    + "not the latest version of run '\(name)' (\(name)@\(decision.versions.count)): "
                                    + "an older version cannot grow; pass --run NAME to record the folder anew")
                        }
                        try batcher.add([t.event], blobs: t.blobs)
                    }
                    check(
                        t, predictions: predictions, exitStatuses: run.exitStatuses, exitStatusesName: exitStatusesName,
                        batcher: batcher)
                }
                done += 1
            }
            progress?(done, run.trajectories.count, bytesRead)
            if start < run.trajectories.count {
                next = prepare(from: start)
                start += next?.count ?? 0
            }
        }
        if hasPredictions {
            // One line for them all (a partial run leaves hundreds); the ids go to the verbose details.
            let ingested = Set(run.trajectories.map(\.instanceId))
            let missing = predictions.keys.sorted().filter { !ingested.contains($0) }
            if !missing.isEmpty {
                batcher.warn(
                    "the predictions name \(missing.count) instance\(missing.count == 1 ? "" : "s") with no trajectory in "
                        + "\(folder) (--verbose lists them)")
                batcher.detail(missing.map { "no trajectory for predicted instance \($0)" })
            }
        }
        batcher.addBytesRead(bytesRead)
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        report.versionAlreadyRecorded = decision.existing != nil
        return report
    }

    /// The first trajectory of a chunk that was read.
    private static func first(_ outcomes: [PreparedTrajectory.Outcome]) -> PreparedTrajectory? {
        for outcome in outcomes { if case .success(let t) = outcome { return t } }
        return nil
    }

    private static func failures(_ outcomes: [PreparedTrajectory.Outcome]) -> [String] {
        outcomes.compactMap { if case .failure(let reason) = $0 { return reason } else { return nil } }
    }

    /// A trajectory as growth compares it: its instance and its file's SHA-256.
    private struct KnownTrajectory: Hashable {
        var instance: String
        var trajectory: Digest
    }

    /// What a patch is compared by: its hash, with no patch and an empty one alike.
    private static func patchKey(_ patch: String?) -> Digest? {
        guard let patch, !patch.isEmpty else { return nil }
        return Digest.sha256(Array(patch.utf8))
    }

    /// Reports disagreements between a trajectory and the run's preds / exit-status files; never hides them.
    private static func check(
        _ t: PreparedTrajectory, predictions: [String: Digest?], exitStatuses: ExitStatuses?,
        exitStatusesName: String, batcher: ArtifactBatcher
    ) {
        let id = t.summary.instanceId
        if !predictions.isEmpty {
            if let patch = predictions[id] {
                if patch != patchKey(t.summary.submission) {
                    batcher.warn("\(id): the patch in the predictions differs from the trajectory's submission")
                }
            } else {
                batcher.warn("\(id): has a trajectory but no entry in the predictions")
            }
        }
        if let exitStatuses, let status = exitStatuses.status(of: id), status != t.summary.exitStatus {
            batcher.warn(
                "\(id): exit status is '\(t.summary.exitStatus ?? "none")' in the trajectory but '\(status)' in "
                    + exitStatusesName)
        }
    }
}

/// One trajectory read, summarised, hashed and compressed, with its event built.
struct PreparedTrajectory: Sendable {
    var summary: TrajectorySummary
    var event: NewEvent
    var blobs: [PreparedBlob]
    var rawSize: Int

    enum Outcome: Sendable {
        case success(PreparedTrajectory)
        case failure(String)
    }

    /// A file read and summarised, not yet compressed.
    struct Read {
        var path: String
        var bytes: [UInt8]
        var summary: TrajectorySummary
        /// The file's place in the run folder's listing order.
        var position: Int?
    }

    /// Reads, summarises, hashes and compresses a chunk of a run's trajectories on all cores.
    ///
    /// The chunk's first readable trajectory is stored as it is and the others against it (see
    /// `PreparedBlob.init(_:against:)`): a run's trajectories share their system prompt, tool
    /// documentation and much of the repository they explore, which zstd cannot see one file at a time. Eight
    /// files store about 30% smaller than alone. The reference commits first, since the batcher keeps order.
    /// A reference already stored against another blob is not used, so reads never follow chains of them.
    /// `largestFile` is the size of the chunk's largest file, which sizes the compression window. A trajectory
    /// without an exit status takes the one `exitStatuses` gives its instance.
    static func prepareChunk(
        _ files: [RunFolder.TrajectoryFile], largestFile: Int, run: String, log: EventLog,
        exitStatuses: ExitStatuses? = nil
    ) -> [Outcome] {
        func read(_ file: RunFolder.TrajectoryFile) -> Result<Read, IngestError> {
            do {
                let bytes = try FileReading.bytes(file.path)
                var summary = try TrajectoryReader.read(bytes: bytes, fileName: file.path)
                // A trajectory saved before its run ended says no exit status; the run's exit-status files
                // (the latest naming it, for mini-swe-agent) do.
                if summary.exitStatus == nil, let status = exitStatuses?.status(of: summary.instanceId) {
                    summary.exitStatus = status
                }
                return .success(
                    Read(path: file.path, bytes: bytes, summary: summary, position: file.listingPosition))
            } catch {
                return .failure(IngestError(String(describing: error)))
            }
        }
        // The reference is read first; then every other file is read, summarised and compressed in one pass
        // on all cores (two passes left a core idle at the end of each).
        var outcomes: [Outcome?] = Array(repeating: nil, count: files.count)
        var head: (index: Int, read: Read)?
        for (i, file) in files.enumerated() {
            switch read(file) {
            case .failure(let error): outcomes[i] = .failure(error.message)
            case .success(let r): head = (i, r)
            }
            if head != nil { break }
        }
        guard let head else { return outcomes.map { $0! } }
        let rest = Array((head.index + 1)..<files.count)
        var reference: BlobReference?
        let digest = Digest.sha256(head.read.bytes)
        if !rest.isEmpty, (try? log.isStoredAgainstAnotherBlob(digest)) != true {
            reference = BlobReference(digest: digest, bytes: head.read.bytes, largestInput: largestFile)
        }
        let prepared = ParallelMap.map([head.index] + rest) { i -> Outcome in
            if i == head.index { return make(head.read, run: run, reference: nil) }
            switch read(files[i]) {
            case .failure(let error): return .failure(error.message)
            case .success(let r): return make(r, run: run, reference: reference)
            }
        }
        for (i, outcome) in zip([head.index] + rest, prepared) { outcomes[i] = outcome }
        return outcomes.map { $0! }
    }

    static func make(_ read: Read, run: String, reference: BlobReference?) -> Outcome {
        let bytes = read.bytes
        let summary = read.summary
        let traj = reference.map { PreparedBlob(bytes, against: $0) } ?? PreparedBlob(bytes)
        var blobs = [traj]
        var patchDigest: Digest?
        if let submission = summary.submission {
            let patch = PreparedBlob(Array(submission.utf8))
            patchDigest = patch.digest
            blobs.append(patch)
        }
        let produced = TrajectoryProduced(
            run: run, instanceID: summary.instanceId, trajectory: traj.digest, format: summary.format.rawValue,
            exitStatus: summary.exitStatus, submission: patchDigest, instanceCost: summary.modelStats.instanceCost,
            tokensSent: summary.modelStats.tokensSent, tokensReceived: summary.modelStats.tokensReceived,
            apiCalls: summary.modelStats.apiCalls, steps: summary.stepCount, sweAgentVersion: summary.sweAgentVersion,
            sweRexVersion: summary.sweRexVersion, position: read.position)
        // Built (validated, id hashed) here, on the worker thread that read the file.
        let event: NewEvent
        do {
            event = try produced.newEvent()
        } catch {
            return .failure("\(read.path): \(error)")
        }
        return .success(PreparedTrajectory(summary: summary, event: event, blobs: blobs, rawSize: bytes.count))
    }
}
