internal import SmithJSON

/// Lifts the fields of a trajectory's `info` object into a `TrajectorySummary`, checking their types.
enum TrajectoryInfo {
    static func apply(_ info: JSONValue, to summary: inout TrajectorySummary, file: String) throws(ReadError) {
        let fields = try ObjectFields(info, path: JSONPath.root.key("info"), file: file, what: "an object")
        summary.info = info
        summary.exitStatus = try fields.optionalString("exit_status")
        summary.submission = try submission(fields)
        summary.sweAgentVersion = try fields.optionalString("swe_agent_version")
        summary.sweAgentHash = try fields.optionalString("swe_agent_hash")
        summary.sweRexVersion = try fields.optionalString("swe_rex_version")
        summary.sweRexHash = try fields.optionalString("swe_rex_hash")
        summary.editedFiles30 = try fields.optionalString("edited_files30")
        summary.editedFiles50 = try fields.optionalString("edited_files50")
        summary.editedFiles70 = try fields.optionalString("edited_files70")
        _ = try fields.optionalString("instance_id")
        if let stats = try fields.optionalObject("model_stats") {
            summary.modelStats = ModelStats(
                instanceCost: try stats.optionalDouble("instance_cost"),
                totalCost: try stats.optionalDouble("total_cost"),
                tokensSent: try stats.optionalInt("tokens_sent"),
                tokensReceived: try stats.optionalInt("tokens_received"),
                apiCalls: try stats.optionalInt("api_calls"))
        }
    }

    /// SWE-agent types `submission` as `str | dict | None`; only a string is a patch.
    private static func submission(_ fields: ObjectFields) throws(ReadError) -> String? {
        guard let value = fields.value("submission") else { return nil }
        switch value {
        case .null, .object: return nil
        case .string(let patch): return patch
        default: throw fields.mismatch("submission", expected: "a patch string, an object or null", found: value)
        }
    }
}
