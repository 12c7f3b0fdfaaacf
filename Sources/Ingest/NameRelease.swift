public import SmithDomain
public import SmithStore

/// `smithlog release-name`: gives up a version of a name that another machine pushed first with other content,
/// by appending one `NameReleased` (nothing is deleted); the next push sends the head event without claiming it.
public enum NameRelease {
    /// What was released: `NAME@N`, and whether it already was (then nothing was added).
    public struct Result: Sendable {
        public var report: IngestReport
        public var version: String
        public var alreadyReleased: Bool
    }

    /// Releases `name` (`NAME@N`, or `NAME` for its latest version) of `kind`. A name or version not recorded is
    /// `NameError(.notFound)`; a version pulled from another machine is `NameError(.invalid)` (it is that
    /// machine's claim); releasing a released version again adds nothing.
    public static func run(kind: NamedKind, name: String, reason: String, log: EventLog) throws -> Result {
        let wanted = VersionedName(parsing: name)
        let all = try heads(kind, wanted.name, log: log)
        guard !all.isEmpty else { throw log.unknownName(wanted.name, kind) }
        let n = wanted.version ?? all.count
        guard n >= 1, n <= all.count else {
            throw NameError(.notFound, "\(kind.noun) '\(wanted.name)' has \(all.count) version(s); there is no @\(n)")
        }
        let label = "\(wanted.name)@\(n)"
        let head = all[n - 1]
        if let origin = head.record.origin {
            throw NameError(
                .invalid,
                "\(kind.noun) '\(label)' was pulled from store \(origin.store.hex) (actor \(head.record.actor));"
                    + " only the machine that recorded it can release it")
        }
        let event = try NameReleased(kind: kind, name: wanted.name, version: n, event: head.record.id, reason: reason)
            .newEvent()
        let batcher = ArtifactBatcher(log: log)
        try batcher.add([event], blobs: [])
        try batcher.flush()
        let report = batcher.report
        return Result(report: report, version: label, alreadyReleased: report.newEvents == 0)
    }

    /// The versions of the name, oldest first, as (head event, retraction reason).
    private static func heads(
        _ kind: NamedKind, _ name: String, log: EventLog
    ) throws -> [(record: RecordedEvent, retraction: String?)] {
        func of<Head: PipelineEvent>(_ head: Head.Type) throws -> [(record: RecordedEvent, retraction: String?)] {
            try log.versions(kind, name, as: head).map { ($0.record, $0.retraction) }
        }
        switch kind {
        case .dataset: return try of(DatasetImported.self)
        case .subset: return try of(SubsetDefined.self)
        case .run: return try of(RunStarted.self)
        case .eval: return try of(EvalRunStarted.self)
        case .sft: return try of(SftDatasetBuilt.self)
        case .checkpoint: return try of(CheckpointSaved.self)
        case .bench: return try of(BenchmarkEvaluated.self)
        }
    }
}
