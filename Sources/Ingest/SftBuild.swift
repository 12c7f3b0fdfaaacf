public import SmithDatasets
import SmithDomain
import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog sft build`: resolved trajectories of a run turned into an SFT jsonl, recorded line by line.
///
/// Each line is byte-identical to what SWE-smith's transform writes for that trajectory (the version
/// is chosen per dataset and recorded). Trajectories come from the log's blobs, so the run folder is
/// not needed. The dataset (SftDatasetBuilt and every FtSampleEmitted with its line as a blob) commits
/// in one transaction.
public enum SftBuild {
    public struct Options: Sendable {
        public var name: String
        public var trajRun: String
        public var evalRun: String
        public var version: SFTTransformVersion
        public var systemPrompt: String
        public var onlyResolved: Bool
        public var subset: String?

        public init(
            name: String, trajRun: String, evalRun: String, version: SFTTransformVersion,
            systemPrompt: String, onlyResolved: Bool, subset: String?
        ) {
            self.name = name
            self.trajRun = trajRun
            self.evalRun = evalRun
            self.version = version
            self.systemPrompt = systemPrompt
            self.onlyResolved = onlyResolved
            self.subset = subset
        }
    }

    public struct Result: Sendable {
        public var report: IngestReport
        public var lines: Int
        public var fileName: String
        public var skippedByReason: [(String, Int)]
    }

    public static func run(_ o: Options, log: EventLog, projections: ProjectionEngine) throws -> Result {
        try projections.catchUp(log: log)
        guard try projections.hasRow(in: "runs", named: o.trajRun)
        else { throw IngestError("--traj-run \(o.trajRun): no trajectory run of that name is recorded") }
        guard
            try projections.hasRow(in: "eval_runs", named: o.evalRun)
        else { throw IngestError("--eval-run \(o.evalRun): no evaluation run of that name is recorded") }
        var subsetFilter = ""
        if let subset = o.subset {
            guard
                try projections.hasRow(in: "subsets", named: subset)
            else { throw IngestError("--subset \(subset): no subset of that name is recorded") }
            subsetFilter = """
                 AND t.instance_id IN (SELECT m.instance_id FROM subset_members m JOIN subsets s
                 ON s.name = m.subset AND s.definition = m.definition WHERE s.name = \(SQLText.literal(subset)))
                """
        }
        let candidates = try projections.query(
            sql: """
                SELECT t.instance_id, t.traj_sha256, t.event_id, v.resolved FROM trajectories t
                LEFT JOIN verdicts v ON v.eval_run = \(SQLText.literal(o.evalRun)) AND v.instance_id = t.instance_id
                WHERE t.run = \(SQLText.literal(o.trajRun))\(subsetFilter)
                ORDER BY t.instance_id
                """
        ).rows

        var skipped: [String: Int] = [:]
        var report = IngestReport()
        var chosen: [(instance: String, traj: Digest, event: String)] = []
        for row in candidates {
            guard let instance = row[0].stringValue, let hex = row[1].stringValue, let digest = Digest(hex: hex),
                let event = row[2].stringValue
            else { continue }
            if row[3].isNull {
                skipped["no_verdict", default: 0] += 1
                continue
            }
            if o.onlyResolved && row[3].int64Value != 1 {
                skipped["unresolved", default: 0] += 1
                continue
            }
            chosen.append((instance, digest, event))
        }
        let transform = SFTTransform(version: o.version, systemPrompt: o.systemPrompt)
        // .stepsOnly: these bytes were fully validated when the trajectory was ingested, and the blob store
        // checks their hash on every read, so only the steps the line is built from need parsing.
        var lines: [(instance: String, event: String, line: [UInt8])] = []
        var lineBlobs: [PreparedBlob] = []
        var start = 0
        while start < chosen.count {
            let chunk = Array(chosen[start..<min(start + 16, chosen.count)])
            start += chunk.count
            // Reading a blob (decompress + hash check) costs as much as the transform: both run on all cores.
            // Each line is stored against its trajectory (see PreparedBlob.init(_:against:)): its
            // text is all there, so the line takes a few hundred bytes instead of a third of its size.
            let produced = ParallelMap.map(Array(chunk.indices)) {
                i -> Swift.Result<([UInt8], PreparedBlob), SFTError> in
                let bytes: [UInt8]
                do {
                    bytes = try log.blob(chunk[i].traj)
                } catch {
                    return .failure(SFTError(.unreadable, at: "$", "trajectory blob: \(error)"))
                }
                return Swift.Result { () throws(SFTError) in
                    let line = try transform.line(for: bytes, instanceId: chunk[i].instance, validation: .stepsOnly)
                    // Against the trajectory's tail only, where SWE-agent writes the final `history` the line is
                    // made from: zstd pays for every byte of a reference, and the whole file made builds 4x slower.
                    let tail = max(256 << 10, 4 * line.count)
                    let trajectory = BlobReference(
                        digest: chunk[i].traj, bytes: bytes, from: bytes.count - tail, largestInput: line.count)
                    return (line, PreparedBlob(line, against: trajectory))
                }
            }
            for (item, outcome) in zip(chunk, produced) {
                switch outcome {
                case .success(let (line, blob)):
                    lines.append((item.instance, item.event, line))
                    lineBlobs.append(blob)
                case .failure(let error):
                    skipped["transform_failed", default: 0] += 1
                    report.skipped.append("\(item.instance) (trajectory \(item.event.prefix(12))): \(error)")
                }
            }
        }

        let fileName = "ft_\(o.version.style.rawValue)_\(o.name).jsonl"
        let recorded = try SftRecording.record(
            name: o.name, lines: lines, lineBlobs: lineBlobs, fileName: fileName, log: log,
            payload: { p in
                p.set("style", o.version.style.rawValue)
                p.set("transform", o.version.rawValue)
                p.set("system_prompt_sha256", Digest.sha256(Array(o.systemPrompt.utf8)).hex)
                p.set("traj_run", o.trajRun)
                p.set("eval_run", o.evalRun)
                p.set("subset", o.subset)
                p.set("only_resolved", o.onlyResolved)
            },
            skipped: skipped, combined: nil)
        report.newEvents = recorded.newEvents
        report.alreadyRecorded = recorded.alreadyRecorded
        return Result(
            report: report, lines: lines.count, fileName: fileName,
            skippedByReason: skipped.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}

/// Records an SFT dataset: SftDatasetBuilt, then FtSampleEmitted per line (its bytes as the blob).
///
/// `lineBlobs`, when given, are the lines already prepared (one per line, same order); otherwise each line is
/// compressed on its own.
enum SftRecording {
    struct Combined {
        var from: [String]
        var seed: Int
        var maxPerInstance: Int
        var metadata: PreparedBlob
    }

    static func record(
        name: String, lines: [(instance: String, event: String?, line: [UInt8])], lineBlobs: [PreparedBlob]? = nil,
        fileName: String, log: EventLog, payload: (inout PayloadBuilder) -> Void, skipped: [String: Int],
        combined: Combined?
    )
        throws -> IngestReport
    {
        var export: [UInt8] = []
        for l in lines { export += l.line }
        let lineBlobs = lineBlobs ?? ParallelMap.map(lines.map(\.line)) { PreparedBlob($0) }
        var p = PayloadBuilder()
        p.set("name", name)
        payload(&p)
        p.set("file_name", fileName)
        p.set("export_sha256", Digest.sha256(export).hex)
        p.set("lines", lines.count)
        p.set("skipped", .object(skipped.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
        if let combined {
            p.set("combined_from", strings: combined.from)
            p.set("seed", combined.seed)
            p.set("max_per_inst", combined.maxPerInstance)
            p.set("metadata_sha256", combined.metadata.digest.hex)
        } else {
            p.set("combined_from", .null)
            p.set("seed", nil as Int?)
            p.set("max_per_inst", nil as Int?)
            p.set("metadata_sha256", nil as String?)
        }
        let built = DomainEvent(
            .sftDatasetBuilt, stream: StreamName.sft(name), payload: p.value,
            blobs: combined.map { [$0.metadata.digest] } ?? [])
        let build = built.newEvent.id.hex
        var events = [built]
        for (i, (l, blob)) in zip(lines, lineBlobs).enumerated() {
            var s = PayloadBuilder()
            s.set("dataset", name)
            s.set("build", build)
            s.set("position", i)
            s.set("instance_id", l.instance)
            s.set("trajectory", l.event)
            s.set("line_sha256", blob.digest.hex)
            events.append(
                DomainEvent(.ftSampleEmitted, stream: StreamName.sft(name), payload: s.value, blobs: [blob.digest]))
        }
        let batcher = ArtifactBatcher(log: log, maxEvents: Int.max, maxBytes: Int.max)
        try batcher.add(events, blobs: lineBlobs + (combined.map { [$0.metadata] } ?? []))
        try batcher.flush()
        return batcher.report
    }
}
