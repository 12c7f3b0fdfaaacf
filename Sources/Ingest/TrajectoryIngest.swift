import SmithDomain
import SmithJSON
import SmithReaders
public import SmithStore

/// `smithlog ingest trajectories`: a SWE-agent run-batch folder into the log.
///
/// Records RunStarted, then one TrajectoryProduced per `.traj` (the file as a blob, the patch as a
/// second blob). Trajectories are read, hashed and compressed on all cores in small chunks, so memory
/// stays flat however large the run; each trajectory's events and blobs commit together.
public enum TrajectoryIngest {
    /// How many trajectories are prepared together before their events are handed to the batcher, and how
    /// many bytes of them at most (a chunk always takes at least one). The chunk's first trajectory is the
    /// reference the others are compressed against (see `PreparedTrajectory.prepareChunk`), so more files store
    /// smaller; memory holds the reference and one file per core, not the whole chunk.
    static let chunkSize = 12
    static let chunkBytes = 16 << 20

    /// `subsetFor` names the recorded subset a run's instance ids match (see `SubsetMatch`), if any.
    public static func run(
        folder: String, runName: String?, strict: Bool, log: EventLog,
        subsetFor: ((Set<String>) throws -> String?)? = nil, progress: IngestProgress? = nil
    ) throws -> IngestReport {
        var run = try RunFolderReader.read(atPath: folder)
        let name = runName ?? run.name
        guard !name.isEmpty else { throw IngestError("\(folder): cannot derive a run name; pass --run") }
        if strict, let problem = run.problems.first { throw problem }
        if strict {
            // Validate everything first so a bad file under --strict leaves the log untouched.
            for t in run.trajectories { _ = try TrajectoryReader.read(atPath: t.path) }
        }

        let batcher = ArtifactBatcher(log: log)
        for problem in run.problems { batcher.warn(problem.description) }
        // Chunks are read, hashed and compressed on all cores; the first is prepared before RunStarted, which
        // records the agent version the first trajectory carries (so no file is read twice for it).
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
                Array(run.trajectories[start..<end]), largestFile: largest, run: name, log: log)
        }
        var prepared = prepare(from: 0)
        var agentVersion: String?
        if case .success(let t) = prepared.first { agentVersion = t.summary.sweAgentVersion }
        var configBlob: PreparedBlob?
        if let configPath = run.configPath, let bytes = try? FileReading.bytes(configPath) {
            configBlob = PreparedBlob(bytes)
        }
        var p = PayloadBuilder()
        p.set("name", name)
        p.set("model", run.modelName)
        p.set("agent_version", agentVersion)
        p.set("config_file", run.configPath.map(FileReading.baseName))
        p.set("config", run.config ?? .null)
        p.set("config_sha256", configBlob?.digest.hex)
        p.set("subset", try subsetFor?(Set(run.trajectories.map(\.instanceId))))
        p.set("instances", run.trajectories.count)
        try batcher.add(
            [
                DomainEvent(
                    .runStarted, stream: StreamName.run(name), payload: p.value,
                    blobs: configBlob.map { [$0.digest] } ?? [])
            ],
            blobs: configBlob.map { [$0] } ?? [])

        // Only each patch's hash is kept for the checks: preds.json holds every patch of the run, and keeping
        // them through the ingest made its memory grow with the run.
        let predictions = Dictionary(
            (run.predictions ?? []).map { ($0.instanceId, patchKey($0.modelPatch)) },
            uniquingKeysWith: { first, _ in first })
        let hasPredictions = run.predictions != nil
        run.predictions = nil
        var done = 0
        var bytesRead = 0
        var start = 0
        while start < run.trajectories.count {
            if start > 0 { prepared = prepare(from: start) }
            start += prepared.count
            for item in prepared {
                switch item {
                case .failure(let reason):
                    batcher.skip(reason)
                case .success(let t):
                    bytesRead += t.rawSize
                    try batcher.add([t.event], blobs: t.blobs)
                    check(t, predictions: predictions, exitStatuses: run.exitStatuses, batcher: batcher)
                }
                done += 1
            }
            progress?(done, run.trajectories.count, bytesRead)
        }
        if hasPredictions {
            let ingested = Set(run.trajectories.map(\.instanceId))
            for id in predictions.keys.sorted() where !ingested.contains(id) {
                batcher.warn("predictions name \(id), which has no trajectory in \(folder)")
            }
        }
        batcher.addBytesRead(bytesRead)
        try batcher.flush()
        return batcher.report
    }

    /// What a patch is compared by: its hash, with no patch and an empty one alike.
    private static func patchKey(_ patch: String?) -> Digest? {
        guard let patch, !patch.isEmpty else { return nil }
        return Digest.sha256(Array(patch.utf8))
    }

    /// Reports disagreements between a trajectory and the run's preds / exit-status files; never hides them.
    private static func check(
        _ t: PreparedTrajectory, predictions: [String: Digest?], exitStatuses: ExitStatuses?,
        batcher: ArtifactBatcher
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
                    + "run_batch_exit_statuses.yaml")
        }
    }
}

/// One trajectory read, summarised, hashed and compressed, with its event built.
struct PreparedTrajectory: Sendable {
    var summary: TrajectorySummary
    var event: DomainEvent
    var blobs: [PreparedBlob]
    var rawSize: Int

    enum Outcome: Sendable {
        case success(PreparedTrajectory)
        case failure(String)
    }

    /// A file read and summarised, not yet compressed.
    struct Read {
        var bytes: [UInt8]
        var summary: TrajectorySummary
    }

    /// Reads, summarises, hashes and compresses a chunk of a run's trajectories on all cores.
    ///
    /// The chunk's first readable trajectory is stored as it is and the others against it (see
    /// `PreparedBlob.init(_:against:)`): a run's trajectories share their system prompt, tool
    /// documentation and much of the repository they explore, which zstd cannot see one file at a time. Eight
    /// files store about 30% smaller than alone. The reference commits first, since the batcher keeps order.
    /// A reference already stored against another blob is not used, so reads never follow chains of them.
    /// `largestFile` is the size of the chunk's largest file, which sizes the compression window.
    static func prepareChunk(
        _ files: [RunFolder.TrajectoryFile], largestFile: Int, run: String, log: EventLog
    ) -> [Outcome] {
        func read(_ file: RunFolder.TrajectoryFile) -> Result<Read, IngestError> {
            do {
                let bytes = try FileReading.bytes(file.path)
                return .success(
                    Read(bytes: bytes, summary: try TrajectoryReader.read(bytes: bytes, fileName: file.path)))
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
            if i == head.index { return .success(make(head.read, run: run, reference: nil)) }
            switch read(files[i]) {
            case .failure(let error): return .failure(error.message)
            case .success(let r): return .success(make(r, run: run, reference: reference))
            }
        }
        for (i, outcome) in zip([head.index] + rest, prepared) { outcomes[i] = outcome }
        return outcomes.map { $0! }
    }

    static func make(_ read: Read, run: String, reference: BlobReference?) -> PreparedTrajectory {
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
        var p = PayloadBuilder()
        p.set("run", run)
        p.set("instance_id", summary.instanceId)
        p.set("traj_sha256", traj.digest.hex)
        p.set("format", summary.format.rawValue)
        p.set("exit_status", summary.exitStatus)
        p.set("submission_sha256", patchDigest?.hex)
        p.set("instance_cost", summary.modelStats.instanceCost)
        p.set("tokens_sent", summary.modelStats.tokensSent)
        p.set("tokens_received", summary.modelStats.tokensReceived)
        p.set("api_calls", summary.modelStats.apiCalls)
        p.set("steps", summary.stepCount)
        p.set("swe_agent_version", summary.sweAgentVersion)
        p.set("swe_rex_version", summary.sweRexVersion)
        let event = DomainEvent(
            .trajectoryProduced, stream: StreamName.run(run), payload: p.value, blobs: blobs.map(\.digest))
        return PreparedTrajectory(summary: summary, event: event, blobs: blobs, rawSize: bytes.count)
    }
}
