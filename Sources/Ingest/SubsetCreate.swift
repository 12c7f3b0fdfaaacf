import SmithDomain
import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog subset create`: selects a dataset's instances with an SQL condition and records the selection.
///
/// The condition is one SQL expression (`RowCondition`), evaluated by SQLite over the dataset's rows of the
/// `instance_rows` view (the `instances` projection's columns instance_id, repo, bug_type, f2p_count, p2p_count,
/// image_name, created_at, position, and `row_json`, the row read from the log when the condition uses it, for
/// json_extract), on a read-only connection: members are always rows of that dataset. The members are one blob
/// (`SubsetMembersFile`) cited by the SubsetDefined; both commit in one transaction, a few hundred bytes of
/// event whatever the subset's size.
public enum SubsetCreate {
    public struct Result: Sendable {
        public var report: IngestReport
        public var members: Int
    }

    /// Records subset `name` of `dataset` (`NAME` or `NAME@N`, the latest version: the projection holds its
    /// rows). The same dataset version and condition again add nothing; another under a recorded name is refused
    /// unless `newVersion`. A condition still being evaluated after `timeout` is stopped (an error).
    public static func run(
        name: String, dataset: String, condition: String, newVersion: Bool = false, log: EventLog,
        projections: ProjectionEngine, timeout: Duration = .seconds(10)
    ) throws -> Result {
        try log.checkNewName(name, .subset, field: "NAME")
        try EventValidation.name(name, "NAME")
        let wanted = VersionedName(parsing: dataset)
        let versions = try log.versions(.dataset, wanted.name, as: DatasetImported.self)
        let source = try References.resolve(dataset, .dataset, as: DatasetImported.self, log: log, option: "--dataset")
        guard source.version == versions.count else {
            throw IngestError(
                "--dataset \(dataset): the condition is evaluated over the instances projection, which holds the "
                    + "latest version, \(wanted.name)@\(versions.count); an older version cannot be selected from")
        }
        let datasetLabel = source.label(wanted.name)
        let decision = try NameDecision<SubsetDefined>(
            .subset, name, log: log, newVersion: newVersion,
            sameContent: { v in
                try v.head.condition == condition
                    && References.pinned(v.head.dataset, .dataset, before: v.record.seq, log: log) == datasetLabel
            },
            describe: { v in
                "dataset \(v.head.dataset) sha256 \(shortHash(v.head.datasetSHA256)), where \"\(v.head.condition)\", "
                    + "\(v.head.members) members"
            })
        if decision.existing != nil {
            var report = IngestReport()
            let existing = decision.existing!.head
            // A version 1 definition was recorded with an InstanceSelected per member.
            report.alreadyRecorded = existing.membersSHA256 == nil ? existing.members + 1 : 1
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return Result(report: report, members: decision.existing!.head.members)
        }

        try projections.catchUp(log: log)
        // The condition is the user's own SQL: checked to be one expression, then evaluated over the dataset's
        // rows only (the dataset bound as an argument), so every member is a row of this dataset. The ids go
        // straight into the members blob as SQLite steps through them, hashed and compressed as they come: the
        // list (5 MB at 100k members) is never held whole.
        var file = PreparedBlobBuilder()
        var members = 0
        do {
            let checked = try RowCondition(condition)
            try ProjectionReader(path: projections.path, log: log).forEachInstanceID(
                ofDataset: wanted.name, where: checked, timeout: timeout
            ) { id in
                SubsetMembersFile.append(id, to: &file)
                members += 1
            }
        } catch {
            throw IngestError("--where \"\(condition)\": \(error)")
        }
        let blob = file.finish()

        let defined = try SubsetDefined(
            name: name, dataset: datasetLabel, datasetSHA256: source.head.sha256, condition: condition,
            members: members, membersSHA256: blob.digest
        ).newEvent()
        let batcher = ArtifactBatcher(log: log, claim: decision.claim, maxEvents: Int.max, maxBytes: Int.max)
        try batcher.add([defined], blobs: [blob])
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        return Result(report: report, members: members)
    }
}
