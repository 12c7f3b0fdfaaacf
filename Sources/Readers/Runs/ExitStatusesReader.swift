internal import SmithJSON

/// Reads `run_batch_exit_statuses.yaml`.
public enum ExitStatusesReader {
    /// Reads the exit statuses file at `path`.
    ///
    /// Throws `ReadError` for unreadable or invalid YAML, a missing `instances_by_exit_status` mapping, and
    /// statuses whose value is not a list of instance ids.
    public static func read(atPath path: String) throws(ReadError) -> ExitStatuses {
        let root = try YAMLDocument.readFile(path)
        let top = try ObjectFields(root, file: path, what: "an exit status report (a mapping)")
        let byStatus = try top.object("instances_by_exit_status", what: "a mapping of exit status to instance ids")
        var entries: [(status: String, instanceIds: [String])] = []
        for (status, value) in byStatus.pairs {
            // An empty list is written `status: []`; PyYAML never writes null here, but accept it as empty.
            if value.isNull {
                entries.append((status, []))
                continue
            }
            entries.append((status, try byStatus.stringArray(status)))
        }
        return ExitStatuses(instancesByStatus: entries, totalCost: try top.optionalDouble("total_cost"))
    }
}
