import SmithDomain
public import SmithStore

/// Finds the subset a run was made on, from its instance ids.
///
/// Reads the subset events from the log rather than the projections: trajectory ingest then needs no
/// catch-up, whose cost (and memory) would grow with whatever was recorded since the last one.
public enum SubsetMatch {
    /// The subset whose latest version's members are exactly `instances`; else the smallest subset containing
    /// them all; nil when none does. Named as `NAME@N`, the version matched. Retracted versions are left out.
    public static func subset(for instances: Set<String>, log: EventLog) throws -> String? {
        guard !instances.isEmpty else { return nil }
        // The latest version of each name: its number and the stored id its members point at.
        var latest: [String: (version: Int, definition: Digest)] = [:]
        try log.forEach(SubsetDefined.self) { record, defined in
            latest[defined.name] = ((latest[defined.name]?.version ?? 0) + 1, record.id)
            return true
        }
        guard !latest.isEmpty else { return nil }
        var retracted = Set<String>()
        try log.forEach(Retracted.self) { _, r in
            if r.kind == .subset, latest[r.name]?.version == r.version { retracted.insert(r.name) }
            return true
        }
        var members: [String: Set<String>] = [:]
        try log.forEach(InstanceSelected.self) { _, selected in
            if selected.definition == latest[selected.subset]?.definition, !retracted.contains(selected.subset) {
                members[selected.subset, default: []].insert(selected.instanceID)
            }
            return true
        }
        let found =
            members.filter({ $0.value == instances }).keys.sorted().first
            ?? members.filter { instances.isSubset(of: $0.value) }
            .sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }.first?.key
        return found.map { "\($0)@\(latest[$0]!.version)" }
    }
}
