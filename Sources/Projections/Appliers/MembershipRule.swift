import SmithStore

/// Decides whether a member event (InstanceSelected, FtSampleEmitted) belongs to the version of its
/// parent (SubsetDefined, SftDatasetBuilt) that is in force.
///
/// Members name their parent by event id, and ingest may append members before or after the parent.
/// A member is kept when its parent is the one in force, or is newer than it (later in the log, or not
/// in the log yet: it is about to be appended). It is dropped when its parent is an older, replaced one.
/// Only the log's order decides, so replaying in small steps or all at once keeps the same members.
/// A parent shares its members' stream (`subset/<name>`, `sft/<name>`), where the log indexes its id.
enum MembershipRule {
    static func belongs(
        parent: String, stream: String, inForce: (id: String, seq: Int64)?, log: EventLog
    ) throws
        -> Bool
    {
        guard let inForce, inForce.id != parent else { return true }
        guard let digest = Digest(hex: parent), let parentSeq = try log.seq(of: digest, stream: stream) else {
            return true
        }
        return Int64(parentSeq) > inForce.seq
    }
}
