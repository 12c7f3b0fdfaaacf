internal import SmithJSON

/// Reads evaluation reports: per-instance `report.json` files and whole-run summaries.
public enum EvalReportReader {
    /// Reads one instance's `report.json`, flat (SWE-smith) or nested under the instance id (SWE-bench).
    ///
    /// For a flat report the instance id is `instanceId` if given, else taken from the path:
    /// `<instance_id>/report.json` or `<instance_id>.report.json`. A nested report names its own instance.
    /// Throws `ReadError` for unreadable or invalid JSON, a document of another shape, and fields of the wrong
    /// type or missing (`patch_is_None`, `patch_exists`, `patch_successfully_applied`, `resolved` are required).
    public static func readInstanceReport(
        atPath path: String, instanceId: String? = nil
    ) throws(ReadError) -> InstanceVerdict {
        let value = try JSONDocument.readFile(path)
        return try InstanceReportParser.verdict(
            from: value, file: path, instanceId: instanceId ?? Self.instanceId(fromReportPath: path))
    }

    /// Reads a run summary: a SWE-smith summary `report.json`, a SWE-bench run report
    /// (`<model>.<run_id>.json`) or an sb-cli report; `EvalRunSummary.kind` tells which.
    public static func readSummary(atPath path: String) throws(ReadError) -> EvalRunSummary {
        let value = try JSONDocument.readFile(path)
        return try RunSummaryParser.summary(from: value, file: path)
    }

    /// The instance a flat report belongs to, from where it lies: `<id>/report.json` → `<id>`,
    /// `<id>.report.json` → `<id>`, `<id>.json` → `<id>`.
    public static func instanceId(fromReportPath path: String) -> String {
        let name = FileSystem.lastComponent(path)
        if name == "report.json" { return FileSystem.lastComponent(FileSystem.parent(path)) }
        if name.hasSuffix(".report.json") { return String(name.dropLast(".report.json".count)) }
        if name.hasSuffix(".json") { return String(name.dropLast(".json".count)) }
        return name
    }
}
