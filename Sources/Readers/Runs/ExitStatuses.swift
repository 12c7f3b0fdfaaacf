/// `run_batch_exit_statuses.yaml`: which instances ended with which exit status.
///
/// SWE-agent writes `{instances_by_exit_status: {<status>: [<instance id>, ...]}, total_cost: <dollars>}`
/// (`total_cost` only in some versions). Statuses read like `submitted`, `submitted (exit_cost)`,
/// `skipped (submitted)`, `Uncaught RuntimeError`.
public struct ExitStatuses: Sendable, Hashable {
    /// Status → instance ids, in file order.
    public var instancesByStatus: [(status: String, instanceIds: [String])]
    public var totalCost: Double?

    public init(instancesByStatus: [(status: String, instanceIds: [String])], totalCost: Double? = nil) {
        self.instancesByStatus = instancesByStatus
        self.totalCost = totalCost
    }

    /// The status recorded for `instanceId` (the last one if listed twice).
    public func status(of instanceId: String) -> String? {
        var found: String?
        for entry in instancesByStatus where entry.instanceIds.contains(instanceId) { found = entry.status }
        return found
    }

    /// Every listed instance with its status, sorted by instance id.
    public var statusByInstance: [(instanceId: String, status: String)] {
        var out: [(instanceId: String, status: String)] = []
        for entry in instancesByStatus {
            for id in entry.instanceIds { out.append((id, entry.status)) }
        }
        return out.sorted { $0.instanceId.utf8.lexicographicallyPrecedes($1.instanceId.utf8) }
    }

    public static func == (lhs: ExitStatuses, rhs: ExitStatuses) -> Bool {
        lhs.totalCost == rhs.totalCost && lhs.instancesByStatus.count == rhs.instancesByStatus.count
            && zip(lhs.instancesByStatus, rhs.instancesByStatus).allSatisfy {
                $0.status == $1.status && $0.instanceIds == $1.instanceIds
            }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(totalCost)
        for entry in instancesByStatus {
            hasher.combine(entry.status)
            hasher.combine(entry.instanceIds)
        }
    }
}
