public import SmithDatasets
import SmithDomain
import SmithJSON
public import SmithStore

/// `smithlog sft build`: resolved trajectories of a run turned into an SFT jsonl, recorded line by line.
///
/// Each line is byte-identical to what SWE-smith's transform writes for that trajectory (the version
/// is chosen per dataset and recorded). Trajectories come from the log's blobs, so the run folder is
/// not needed. The dataset's events (SftDatasetBuilt and every FtSampleEmitted) commit in one transaction,
/// after the lines' blobs.
public enum SftBuild {
    public struct Options: Sendable {
        public var name: String
        /// `NAME` or `NAME@N` of the trajectory run, the evaluation run and the subset.
        public var trajRun: String
        public var evalRun: String
        public var version: SFTTransformVersion
        public var systemPrompt: String
        public var onlyResolved: Bool
        public var subset: String?
        /// Record other content under a recorded name as its next version instead of refusing it.
        public var newVersion: Bool

        public init(
            name: String, trajRun: String, evalRun: String, version: SFTTransformVersion,
            systemPrompt: String, onlyResolved: Bool, subset: String?, newVersion: Bool = false
        ) {
            self.name = name
            self.trajRun = trajRun
            self.evalRun = evalRun
            self.version = version
            self.systemPrompt = systemPrompt
            self.onlyResolved = onlyResolved
            self.subset = subset
            self.newVersion = newVersion
        }
    }

    public struct Result: Sendable {
        public var report: IngestReport
        public var lines: Int
        public var fileName: String
        public var skippedByReason: [(String, Int)]
    }

    /// Builds and records the dataset; its inputs are read from the log (the versions named, or the latest).
    public static func run(_ o: Options, log: EventLog) throws -> Result {
        try log.checkNewName(o.name, .sft, field: "NAME")
        try EventValidation.name(o.name, "NAME")
        let runs = try log.versions(.run, VersionedName(parsing: o.trajRun).name, as: RunStarted.self)
        let run = try References.resolve(o.trajRun, .run, as: RunStarted.self, log: log, option: "--traj-run")
        let evals = try log.versions(.eval, VersionedName(parsing: o.evalRun).name, as: EvalRunStarted.self)
        let eval = try References.resolve(o.evalRun, .eval, as: EvalRunStarted.self, log: log, option: "--eval-run")
        let runName = run.head.name
        let evalName = eval.head.name

        // The run version's trajectories and the evaluation version's verdicts: a later event for an instance
        // supersedes an earlier one, as in the projections.
        var trajectories: [String: (event: Digest, traj: Digest)] = [:]
        let runSegment = VersionSegment(run, of: runs)
        try log.forEach(TrajectoryProduced.self, stream: StreamName.run(runName)) { record, t in
            if runSegment.contains(record.seq) { trajectories[t.instanceID] = (record.id, t.trajectory) }
            return true
        }
        var verdicts: [String: Bool] = [:]
        let evalSegment = VersionSegment(eval, of: evals)
        try log.forEach(EvalVerdictRecorded.self, stream: StreamName.evalRun(evalName)) { record, v in
            if evalSegment.contains(record.seq) { verdicts[v.instanceID] = v.resolved }
            return true
        }
        var subsetLabel: String?
        if let subset = o.subset {
            let version = try References.resolve(subset, .subset, as: SubsetDefined.self, log: log, option: "--subset")
            subsetLabel = version.label(version.head.name)
            var members = Set<String>()
            try log.forEachSubsetMember(of: version.record, version.head) { _, id in
                members.insert(id)
                return true
            }
            trajectories = trajectories.filter { members.contains($0.key) }
        }

        var skipped: [String: Int] = [:]
        var report = IngestReport()
        var chosen: [(instance: String, traj: Digest, event: Digest)] = []
        // Byte order of the ids, as the projection's ORDER BY instance_id gave.
        for instance in trajectories.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let t = trajectories[instance]!
            guard let resolved = verdicts[instance] else {
                skipped["no_verdict", default: 0] += 1
                continue
            }
            if o.onlyResolved && !resolved {
                skipped["unresolved", default: 0] += 1
                continue
            }
            chosen.append((instance, t.traj, t.event))
        }
        let transform = SFTTransform(version: o.version, systemPrompt: o.systemPrompt)
        // Under a name already recorded, without --new-version, the build can only find its content recorded or
        // be refused (see NameDecision): its lines' blobs are then neither compressed nor stored (stored ahead of
        // a refusal, they stayed in the store, cited by nothing).
        let storesLines = try o.newVersion || log.versions(.sft, o.name, as: SftDatasetBuilt.self).isEmpty
        // .stepsOnly: these bytes were fully validated when the trajectory was ingested, and the blob store
        // checks their hash on every read, so only the steps the line is built from need parsing.
        // Only a small record per line stays until the one transaction; the lines' text is hashed into the export
        // and dropped, their compressed blobs (a few hundred bytes each, stored against their trajectories) are
        // stored as they come (see SftRecording.storeLineBlobs).
        var lines: [SftRecording.Line] = []
        var lineBlobs: [PreparedBlob] = []
        var export = SHA256Hasher()
        var start = 0
        while start < chosen.count {
            let chunk = Array(chosen[start..<min(start + 16, chosen.count)])
            start += chunk.count
            // Reading a blob (decompress + hash check) costs as much as the transform: both run on all cores.
            // Each line is stored against its trajectory (see PreparedBlob.init(_:against:)): its
            // text is all there, so the line takes a few hundred bytes instead of a third of its size.
            let produced = ParallelMap.map(Array(chunk.indices)) {
                i -> Swift.Result<([UInt8], Digest, PreparedBlob?), SFTError> in
                let bytes: [UInt8]
                do {
                    bytes = try log.blob(chunk[i].traj)
                } catch {
                    return .failure(SFTError(.unreadable, at: "$", "trajectory blob: \(error)"))
                }
                return Swift.Result { () throws(SFTError) in
                    let line = try transform.line(for: bytes, instanceId: chunk[i].instance, validation: .stepsOnly)
                    guard storesLines else { return (line, Digest.sha256(line), nil) }
                    // Against the trajectory's tail only, where SWE-agent writes the final `history` the line is
                    // made from: zstd pays for every byte of a reference, and the whole file made builds 4x slower.
                    let tail = max(256 << 10, 4 * line.count)
                    let trajectory = BlobReference(
                        digest: chunk[i].traj, bytes: bytes, from: bytes.count - tail, largestInput: line.count)
                    let blob = PreparedBlob(line, against: trajectory)
                    return (line, blob.digest, blob)
                }
            }
            for (item, outcome) in zip(chunk, produced) {
                switch outcome {
                case .success(let (line, digest, blob)):
                    export.update(line)
                    lines.append(SftRecording.Line(instance: item.instance, trajectory: item.event, line: digest))
                    guard let blob else { continue }
                    lineBlobs.append(blob)
                    if lineBlobs.count >= SftRecording.blobsPerTransaction {
                        try SftRecording.storeLineBlobs(&lineBlobs, log: log)
                    }
                case .failure(let error):
                    skipped["transform_failed", default: 0] += 1
                    report.skipped.append("\(item.instance) (trajectory \(item.event.hex.prefix(12))): \(error)")
                }
            }
            log.releaseMappedPages()
        }

        try SftRecording.storeLineBlobs(&lineBlobs, log: log)
        guard !lines.isEmpty else {
            throw IngestError(
                emptyBuildMessage(
                    o, run: run.label(runName), eval: eval.label(evalName),
                    trajectories: trajectories.count, skipped: skipped))
        }
        let fileName = "ft_\(o.version.style.rawValue)_\(o.name).jsonl"
        let template = SftDatasetBuilt(
            name: o.name, style: o.version.style.rawValue, transform: o.version.rawValue,
            systemPrompt: Digest.sha256(Array(o.systemPrompt.utf8)), trajRun: run.label(runName),
            evalRun: eval.label(evalName), subset: subsetLabel, onlyResolved: o.onlyResolved, fileName: fileName,
            export: Digest.sha256([]), lines: 0, skipped: skipped.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            combinedFrom: nil, seed: nil, maxPerInstance: nil, metadata: nil)
        let recorded = try SftRecording.record(
            template, lines: lines, export: export.finalize(), lineBlobs: [], metadata: nil,
            newVersion: o.newVersion, log: log)
        report.newEvents = recorded.newEvents
        report.alreadyRecorded = recorded.alreadyRecorded
        report.version = recorded.version
        report.versionAlreadyRecorded = recorded.versionAlreadyRecorded
        return Result(
            report: report, lines: lines.count, fileName: fileName,
            skippedByReason: skipped.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}

extension SftBuild {
    /// The one line refusing a build that would write an empty file: how many trajectories the run had and why
    /// each was left out, so the user sees which input (the run, the evaluation, `--only-resolved`) to change.
    static func emptyBuildMessage(
        _ o: Options, run: String, eval: String, trajectories: Int, skipped: [String: Int]
    ) -> String {
        let reasons = [
            ("no_verdict", "without a verdict in \(eval)"), ("unresolved", "unresolved (--only-resolved)"),
            ("transform_failed", "failed the \(o.version.rawValue) transform"),
        ].compactMap { key, text in skipped[key].map { "\($0) \(text)" } }
        let scope = o.subset.map { " in subset \($0)" } ?? ""
        let why = trajectories == 0 ? "" : ": " + reasons.joined(separator: ", ")
        return "sft build \(o.name): would write 0 lines (\(trajectories) trajectories of \(run)\(scope)\(why)); "
            + "nothing recorded"
    }
}

/// Records an SFT dataset: SftDatasetBuilt, then FtSampleEmitted per line (its bytes as the blob), in one
/// transaction; or nothing, when a version of the name already holds the same export from the same inputs.
enum SftRecording {
    /// One line of the dataset: its instance, the TrajectoryProduced it was made from (nil for combined lines), and
    /// its blob; not its text.
    struct Line {
        var instance: String
        var trajectory: Digest?
        var line: Digest
    }

    /// Line blobs stored per transaction ahead of the dataset's events (see ``storeLineBlobs(_:log:)``).
    static let blobsPerTransaction = 256

    /// Stores `blobs` (lines' blobs, emptied here) in a transaction of their own, ahead of the dataset's events.
    ///
    /// One transaction holds in memory a copy of every B-tree page it changes, and in a large store each line's
    /// blob lands on a leaf page of its own: a build's 2,310 lines held 10 MB of such pages in its one transaction
    /// at the team scale, 2.5 MB a quarter of it. Blobs alone are no facts: a build stopped before its events
    /// leaves them unreferenced, its re-run finds them stored, and the dataset's events still commit in one
    /// transaction (which looks each line's blob up, releasing the store's pages as it goes).
    static func storeLineBlobs(_ blobs: inout [PreparedBlob], log: EventLog) throws {
        guard !blobs.isEmpty else { return }
        try log.putBlobs(blobs)
        blobs.removeAll(keepingCapacity: true)
        HeapPolicy.afterCommit()
    }

    /// `template` is the SftDatasetBuilt with its inputs; its export hash (`export`, the SHA-256 of the lines in
    /// order) and line count are set here. `lineBlobs` are the lines' blobs not already in the store.
    static func record(
        _ template: SftDatasetBuilt, lines: [Line], export: Digest, lineBlobs: [PreparedBlob], metadata: PreparedBlob?,
        newVersion: Bool, log: EventLog
    ) throws -> IngestReport {
        var built = template
        built.export = export
        built.lines = lines.count
        built.metadata = metadata?.digest
        let head = try built.newEvent()
        let name = built.name
        let inputs = try SftInputs(built, before: nil, log: log)
        let decision = try NameDecision<SftDatasetBuilt>(
            .sft, name, log: log, newVersion: newVersion,
            sameContent: { v in
                try v.head.export == built.export && SftInputs(v.head, before: v.record.seq, log: log) == inputs
            },
            describe: { v in "export sha256 \(shortHash(v.head.export)), \(v.head.lines) lines" })
        if decision.existing != nil {
            var report = IngestReport()
            report.alreadyRecorded = lines.count + 1
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return report
        }
        // One transaction for the head and every line, its events made a chunk at a time inside it: held whole,
        // they (and their encoded records) grew with the set. A line that fails validation fails the whole set.
        let build = head.id
        let batcher = ArtifactBatcher(log: log, claim: decision.claim, maxEvents: Int.max, maxBytes: Int.max)
        try batcher.addStreamed(count: lines.count + 1, blobs: lineBlobs + (metadata.map { [$0] } ?? [])) { range in
            try range.map { i in
                guard i > 0 else { return head }
                let l = lines[i - 1]
                return try FtSampleEmitted(
                    dataset: name, build: build, position: i - 1, instanceID: l.instance, trajectory: l.trajectory,
                    line: l.line
                ).newEvent()
            }
        }
        var report = batcher.report
        report.version = decision.label
        return report
    }
}

/// What an SFT dataset was made from, with every reference pinned to a version: two builds with the same
/// export and equal inputs are the same dataset.
private struct SftInputs: Equatable {
    var style, transform: String
    var systemPrompt: Digest?
    var trajRun, evalRun, subset: String?
    var onlyResolved: Bool
    var combinedFrom: [String]?
    var seed, maxPerInstance: Int?

    /// `built`'s inputs; bare names (events recorded before versions) pinned as of `seq`.
    init(_ built: SftDatasetBuilt, before seq: UInt64?, log: EventLog) throws {
        func pin(_ ref: String?, _ kind: NamedKind) throws -> String? {
            guard let seq else { return ref }
            return try References.pinned(ref, kind, before: seq, log: log)
        }
        style = built.style
        transform = built.transform
        systemPrompt = built.systemPrompt
        trajRun = try pin(built.trajRun, .run)
        evalRun = try pin(built.evalRun, .eval)
        subset = try pin(built.subset, .subset)
        onlyResolved = built.onlyResolved
        combinedFrom = try built.combinedFrom.map { try $0.map { try pin($0, .sft) ?? $0 } }
        seed = built.seed
        maxPerInstance = built.maxPerInstance
    }
}
