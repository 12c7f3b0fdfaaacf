import SmithDomain
import SmithStore

/// References from one named thing to another (`--traj-run R`, `--checkpoint C@2`), resolved against the log.
///
/// New events record a reference as `NAME@N`, so what an event points at never changes when the name gets
/// more versions. Events recorded before versions hold a bare `NAME`, which means the latest version recorded
/// before that event.
enum References {
    /// The version `text` (`NAME` or `NAME@N`) names; a name or version not recorded is a not-found error
    /// (exit 3) naming `option`.
    static func resolve<Head: PipelineEvent>(
        _ text: String, _ kind: NamedKind, as head: Head.Type, log: EventLog, option: String
    ) throws -> NamedVersion<Head> {
        do {
            return try log.resolve(VersionedName(parsing: text), kind, as: head)
        } catch let error as NameError where error.code == .notFound {
            throw IngestError.notFound("\(option) \(text): \(error.message)")
        }
    }

    /// `reference` pinned to a version, as `NAME@N`: unchanged when it names one, else the latest version of
    /// `NAME` recorded before `seq`; nil stays nil, and a name with no version before `seq` stays as it is.
    ///
    /// Used to compare what a recorded event referred to with what a command would record now.
    static func pinned(_ reference: String?, _ kind: NamedKind, before seq: UInt64, log: EventLog) throws -> String? {
        guard let reference else { return nil }
        let name = VersionedName(parsing: reference)
        guard name.version == nil else { return reference }
        var count = 0
        try log.forEach(stream: kind.stream(name.name)) { event in
            guard event.seq < seq else { return false }
            if event.type == kind.headType.rawValue { count += 1 }
            return true
        }
        return count == 0 ? reference : "\(name.name)@\(count)"
    }
}
