import SmithDomain
public import SmithStore

/// Finds the subset a run was made on, from its instance ids.
///
/// Reads the subset events from the log rather than the projections: trajectory ingest then needs no
/// catch-up, whose cost (and memory) would grow with whatever was recorded since the last one.
public enum SubsetMatch {
    /// The subset whose members are exactly `instances`; else the smallest subset containing them all;
    /// nil when none does. A subset defined again counts with its latest members only.
    public static func subset(for instances: Set<String>, log: EventLog) throws -> String? {
        guard !instances.isEmpty else { return nil }
        var definitions: [String: String] = [:]
        try log.forEach(type: EventType.subsetDefined.rawValue) { e in
            if let name = try e.payload()["name"]?.stringValue { definitions[name] = e.id.hex }
            return true
        }
        guard !definitions.isEmpty else { return nil }
        var members: [String: Set<String>] = [:]
        try log.forEach(type: EventType.instanceSelected.rawValue) { e in
            let payload = try e.payload()
            if let subset = payload["subset"]?.stringValue, let id = payload["instance_id"]?.stringValue,
                payload["definition"]?.stringValue == definitions[subset]
            {
                members[subset, default: []].insert(id)
            }
            return true
        }
        if let exact = members.filter({ $0.value == instances }).keys.sorted().first { return exact }
        return members.filter { instances.isSubset(of: $0.value) }
            .sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }.first?.key
    }
}
