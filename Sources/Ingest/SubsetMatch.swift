import SmithDomain
public import SmithStore

/// Finds the subset a run was made on, from its instance ids.
///
/// Reads the subset events from the log rather than the projections: trajectory ingest then needs no
/// catch-up, whose cost (and memory) would grow with whatever was recorded since the last one.
public enum SubsetMatch {
    /// The subset whose latest version's members are exactly `instances`; else the smallest subset containing
    /// them all; nil when none does. Named as `NAME@N`, the version matched. Retracted versions are left out.
    ///
    /// Both are the first subset, by member count then name, that contains every instance (one with exactly
    /// those members has the fewest a container can have). So the subsets are read one at a time in that order,
    /// each from its own stream, keeping only which of `instances` it names: memory follows the run's size, not
    /// the sizes of all the subsets a team has defined, and the reading stops at the first that contains them.
    public static func subset(for instances: Set<String>, log: EventLog) throws -> String? {
        guard !instances.isEmpty else { return nil }
        // The latest version of each name: its number, the stored id its members point at, its member count.
        var latest: [String: (version: Int, record: RecordedEvent, head: SubsetDefined)] = [:]
        try log.forEach(SubsetDefined.self) { record, defined in
            latest[defined.name] = ((latest[defined.name]?.version ?? 0) + 1, record, defined)
            return true
        }
        guard !latest.isEmpty else { return nil }
        var retracted = Set<String>()
        try log.forEach(Retracted.self) { _, r in
            if r.kind == .subset, latest[r.name]?.version == r.version { retracted.insert(r.name) }
            return true
        }
        let candidates = latest.filter { !retracted.contains($0.key) && $0.value.head.members >= instances.count }
            .sorted { ($0.value.head.members, $0.key) < ($1.value.head.members, $1.key) }
        for (name, version) in candidates {
            // A subset can name at most `members - instances.count` others: past that it cannot hold them all,
            // and the rest of its members are not read (the run's own subset usually comes after many of its size).
            let othersAllowed = version.head.members - instances.count
            var named = Set<String>()
            var others = 0
            try log.forEachSubsetMember(of: version.record, version.head) { _, id in
                if instances.contains(id) {
                    named.insert(id)
                } else {
                    others += 1
                }
                return named.count < instances.count && others <= othersAllowed
            }
            // Each members list read maps its blob's pages and the B-tree pages above them (about 225 KB in the
            // team workload at 1x); forty candidates of a run's size kept 9 MB mapped into the ingest's first
            // transaction, its peak. Released after each (when the log's `MemoryPolicy` releases pages).
            log.releaseMappedPages()
            if named.count == instances.count { return "\(name)@\(version.version)" }
        }
        return nil
    }
}
