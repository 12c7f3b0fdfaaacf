public import SmithProjections

/// Finds the subset a run was made on, from its instance ids.
public enum SubsetMatch {
    /// The subset whose members are exactly `instances`; else the smallest subset containing them all;
    /// nil when none does.
    public static func subset(for instances: Set<String>, projections: ProjectionEngine) throws -> String? {
        guard !instances.isEmpty else { return nil }
        var members: [String: Set<String>] = [:]
        let rows = try projections.query(
            sql: """
                SELECT m.subset, m.instance_id FROM subset_members m
                JOIN subsets s ON s.name = m.subset AND s.definition = m.definition
                """
        ).rows
        for r in rows {
            guard let subset = r[0].stringValue, let id = r[1].stringValue else { continue }
            members[subset, default: []].insert(id)
        }
        if let exact = members.filter({ $0.value == instances }).keys.sorted().first { return exact }
        return members.filter { instances.isSubset(of: $0.value) }
            .sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }.first?.key
    }
}
