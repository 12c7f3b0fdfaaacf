public import SmithDomain
public import SmithStore

/// `smithlog retract`: withdraws a version of a named thing by appending one `Retracted`; nothing is deleted.
public enum Retraction {
    /// What was retracted: `NAME@N`, and whether it already was (then nothing was added).
    public struct Result: Sendable {
        public var report: IngestReport
        public var version: String
        public var alreadyRetracted: Bool
    }

    /// Retracts `name` (`NAME@N`, or `NAME` for its latest version) of `kind` with `reason`. A name or version
    /// not recorded is `NameError(.notFound)`; retracting a retracted version again adds nothing.
    public static func run(kind: NamedKind, name: String, reason: String, log: EventLog) throws -> Result {
        let wanted = VersionedName(parsing: name)
        let (count, retraction) = try versionInfo(kind, wanted, log: log)
        let version = wanted.version ?? count
        let label = "\(wanted.name)@\(version)"
        if retraction != nil {
            var report = IngestReport()
            report.alreadyRecorded = 1
            return Result(report: report, version: label, alreadyRetracted: true)
        }
        let event = try Retracted(kind: kind, name: wanted.name, version: version, reason: reason).newEvent()
        let batcher = ArtifactBatcher(log: log)
        try batcher.add([event], blobs: [])
        try batcher.flush()
        let report = batcher.report
        return Result(report: report, version: label, alreadyRetracted: report.newEvents == 0)
    }

    /// How many versions the name has, and the retraction reason of the version meant (nil when it stands);
    /// throws `NameError(.notFound)` for an unknown name or version.
    private static func versionInfo(
        _ kind: NamedKind, _ name: VersionedName, log: EventLog
    ) throws -> (count: Int, retraction: String?) {
        func info<Head: PipelineEvent>(_ head: Head.Type) throws -> (Int, String?) {
            let all = try log.versions(kind, name.name, as: head)
            guard !all.isEmpty else { throw log.unknownName(name.name, kind) }
            let n = name.version ?? all.count
            guard n <= all.count else {
                throw NameError(.notFound, "\(kind.noun) '\(name.name)' has \(all.count) version(s); there is no @\(n)")
            }
            return (all.count, all[n - 1].retraction)
        }
        switch kind {
        case .dataset: return try info(DatasetImported.self)
        case .subset: return try info(SubsetDefined.self)
        case .run: return try info(RunStarted.self)
        case .eval: return try info(EvalRunStarted.self)
        case .sft: return try info(SftDatasetBuilt.self)
        case .checkpoint: return try info(CheckpointSaved.self)
        case .bench: return try info(BenchmarkEvaluated.self)
        }
    }
}
