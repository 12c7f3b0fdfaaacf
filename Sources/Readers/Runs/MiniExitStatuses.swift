/// mini-swe-agent's `exit_statuses_<unix time>.yaml`: one per invocation of its batch runner, each naming the
/// instances that invocation finished, in SWE-agent's `instances_by_exit_status` shape.
enum MiniExitStatuses {
    /// The exit-status files among a folder's entries, oldest first: by the time in the name (`time.time()`,
    /// so `exit_statuses_1754005000.123456.yaml`), then by name.
    static func files(in names: [String]) -> [String] {
        let found: [(name: String, time: Double)] = names.compactMap { name in
            guard name.hasPrefix("exit_statuses_"), name.hasSuffix(".yaml") else { return nil }
            let stamp = name.dropFirst("exit_statuses_".count).dropLast(".yaml".count)
            guard let time = Double(stamp), time.isFinite else { return nil }
            return (name, time)
        }
        return found.sorted { ($0.time, $0.name) < ($1.time, $1.name) }.map(\.name)
    }

    /// One report from several, oldest first: each instance keeps the status of the latest file naming it.
    /// Statuses come in the order the newest file naming them lists them; `totalCost` is the newest file's (mini-swe-agent writes
    /// none).
    static func merge(_ reports: [ExitStatuses]) -> ExitStatuses {
        var latest: [String: String] = [:]
        for report in reports {
            for entry in report.instancesByStatus {
                for id in entry.instanceIds { latest[id] = entry.status }
            }
        }
        var order: [String] = []
        var byStatus: [String: [String]] = [:]
        var placed = Set<String>()
        for report in reports.reversed() {
            for entry in report.instancesByStatus {
                for id in entry.instanceIds where latest[id] == entry.status && !placed.contains(id) {
                    placed.insert(id)
                    if byStatus[entry.status] == nil { order.append(entry.status) }
                    byStatus[entry.status, default: []].append(id)
                }
            }
        }
        return ExitStatuses(
            instancesByStatus: order.map { ($0, byStatus[$0] ?? []) }, totalCost: reports.last?.totalCost)
    }
}
