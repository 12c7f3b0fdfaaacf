import SmithDomain
import SmithStore

/// The events of a stream that belong to one version of its name: those after the version's head event and
/// before the next version's head (a run's trajectories, an evaluation's verdicts).
struct VersionSegment {
    let after: UInt64
    let before: UInt64?

    init<Head>(_ version: NamedVersion<Head>, of versions: [NamedVersion<Head>]) {
        after = version.record.seq
        before = version.version < versions.count ? versions[version.version].record.seq : nil
    }

    func contains(_ seq: UInt64) -> Bool { seq > after && before.map { seq < $0 } ?? true }
}
