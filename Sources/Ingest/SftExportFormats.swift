public import SmithDatasets
import SmithDomain
import SmithJSON
public import SmithStore

/// `sft export --format collect|list`: a dataset's lines as swesmith's `collect_trajs` or the SWE-smith
/// repository's `transform_to_ft_list` would have written them, from the log alone.
///
/// `collect` needs a dataset built from a run (`sft build`): each line gets `resolved` (the verdict in the
/// dataset's eval run version), `model` (`replay_config.agent.model.name` of its trajectory, when it has a
/// `replay_config`), `traj_id` (`<instance>.<generate_hash(str(traj_dir))>`) and `patch` (the trajectory's
/// `info.submission`, which SWE-agent writes to `<id>.patch`, read back with universal newlines; "" when none).
/// `traj_dir` is the run folder recorded at ingest (`RunStarted.folder`, absolute) unless the caller gives the
/// path string it passed to `collect_trajs`. Lines are written in the dataset's order; `collect_trajs` writes
/// them in the order its threads finish. A trajectory the reference would drop (a `replay_config` it cannot
/// read) is left out and reported.
public enum SftFormattedExport {
    public struct Summary: Sendable {
        public var lines: Int
        public var size: Int
        /// Lines left out (collect), with why.
        public var leftOut: [String]
    }

    /// Calls `body` with each line of `source` in `format`, after checking the recorded lines against the export's
    /// hash as ``SftExport/Source/forEachLine(log:_:)`` does.
    public static func forEachLine(
        _ source: SftExport.Source, format: SFTExportFormat, trajDir: String?, log: EventLog,
        _ body: ([UInt8]) throws -> Void
    ) throws -> Summary {
        switch format {
        case .ft:
            var count = 0
            let size = try source.forEachLine(log: log) { line, _ in
                count += 1
                try body(line)
            }
            return Summary(lines: count, size: size, leftOut: [])
        case .list:
            var summary = Summary(lines: 0, size: 0, leftOut: [])
            var number = 0
            try source.forEachLine(log: log) { line, _ in
                number += 1
                let out: [UInt8]
                do {
                    out = try SFTExportLine.list(from: line)
                } catch {
                    throw IngestError("sft export \(source.version) --format list: line \(number): \(error)")
                }
                summary.lines += 1
                summary.size += out.count
                try body(out)
            }
            return summary
        case .collect:
            return try collect(source, trajDir: trajDir, log: log, body)
        }
    }

    /// The default file name of `format`: the recorded one for `ft`; `collect_trajs`'s `<eval run>.<style>.jsonl`;
    /// `<stem>.list.jsonl` for `list`.
    public static func fileName(_ source: SftExport.Source, format: SFTExportFormat) -> String {
        let stem = source.fileName.hasSuffix(".jsonl") ? String(source.fileName.dropLast(6)) : source.fileName
        switch format {
        case .ft: return source.fileName
        case .list: return stem + ".list.jsonl"
        case .collect:
            let eval = source.built.evalRun.map { VersionedName(parsing: $0).name } ?? stem
            return "\(eval).\(source.built.style).jsonl"
        }
    }

    private static func collect(
        _ source: SftExport.Source, trajDir: String?, log: EventLog, _ body: ([UInt8]) throws -> Void
    ) throws -> Summary {
        let built = source.built
        let wanted = VersionedName(parsing: source.version)
        let version = try log.resolve(wanted, .sft, as: SftDatasetBuilt.self)
        guard let trajRun = built.trajRun, let evalRun = built.evalRun, built.combinedFrom == nil else {
            throw IngestError(
                "sft export \(source.version) --format collect: the dataset was not built from a run "
                    + "(\(built.transform)); collect_trajs reads a run's trajectories and an evaluation's reports")
        }
        let seq = version.record.seq
        let runLabel = try References.pinned(trajRun, .run, before: seq, log: log) ?? trajRun
        let evalLabel = try References.pinned(evalRun, .eval, before: seq, log: log) ?? evalRun
        let run = try References.resolve(runLabel, .run, as: RunStarted.self, log: log, option: "traj_run")
        let evals = try log.versions(.eval, VersionedName(parsing: evalLabel).name, as: EvalRunStarted.self)
        let eval = try References.resolve(evalLabel, .eval, as: EvalRunStarted.self, log: log, option: "eval_run")
        guard let folder = trajDir.map(CollectTrajectory.pathString) ?? run.head.folder else {
            throw IngestError(
                "sft export \(source.version) --format collect: run \(runLabel) was recorded without its folder; "
                    + "pass --traj-dir with the path given to collect_trajs")
        }
        let hash = CollectTrajectory.generateHash(folder)

        var verdicts: [String: Bool] = [:]
        let segment = VersionSegment(eval, of: evals)
        try log.forEach(EvalVerdictRecorded.self, stream: StreamName.evalRun(eval.head.name)) { record, v in
            if segment.contains(record.seq) { verdicts[v.instanceID] = v.resolved }
            return true
        }
        var samples: [Int: FtSampleEmitted] = [:]
        try log.forEach(FtSampleEmitted.self, stream: StreamName.sft(wanted.name)) { _, sample in
            if sample.build == version.record.id { samples[sample.position] = sample }
            return true
        }
        var trajectories: [Digest: TrajectoryProduced] = [:]
        try log.forEach(TrajectoryProduced.self, stream: StreamName.run(run.head.name)) { record, t in
            trajectories[record.id] = t
            return true
        }

        var summary = Summary(lines: 0, size: 0, leftOut: [])
        var position = 0
        try source.forEachLine(log: log) { line, _ in
            defer { position += 1 }
            guard let sample = samples[position], let event = sample.trajectory, let t = trajectories[event],
                let resolved = verdicts[sample.instanceID]
            else {
                summary.leftOut.append("line \(position + 1): its trajectory or verdict is not recorded")
                return
            }
            let model: JSONValue?
            switch CollectTrajectory.model(inTrajectory: try log.blob(t.trajectory)) {
            case .success(let m): model = m
            case .failure(let error):
                summary.leftOut.append("\(sample.instanceID): \(error)")
                return
            }
            let submission = try t.submission.map { String(decoding: try log.blob($0), as: UTF8.self) }
            let out = try SFTExportLine.collect(
                from: line, resolved: resolved, model: model, trajID: "\(sample.instanceID).\(hash)",
                patch: CollectTrajectory.patchText(submission: submission))
            summary.lines += 1
            summary.size += out.count
            try body(out)
        }
        return summary
    }
}
