internal import SmithJSON

/// A mini-swe-agent `.traj.json` (1.x `mini-swe-agent-1`, 2.x `mini-swe-agent-1.1`) lifted into the same
/// `TrajectorySummary` fields a SWE-agent `.traj` fills.
///
/// Both versions write `{info: {exit_status, submission, model_stats: {instance_cost, api_calls},
/// mini_version, config: {agent, model, environment, ...}}, messages: [...], trajectory_format, instance_id}`
/// (`instance_id` when the batch runner wrote it). 2.x also puts `exit_status` and `submission` in the last
/// message's `extra`; those stand in when `info` has none.
enum MiniTrajectory {
    static func summarize(_ scan: TrajectoryScan, file: String) throws(ReadError) -> TrajectorySummary {
        guard case .string(let declared) = scan.trajectoryFormat ?? .null,
            let format = TrajectoryFormat(rawValue: declared), format.scaffold == .miniSweAgent
        else {
            throw ReadError(
                path: file, jsonPath: "$.trajectory_format",
                message: "expected mini-swe-agent-1 or mini-swe-agent-1.1, found "
                    + FoundDescription.of(scan.trajectoryFormat ?? .null))
        }
        guard let messages = scan.messages else {
            throw ReadError(
                path: file, jsonPath: "$",
                message: "expected a mini-swe-agent trajectory (keys info, messages, trajectory_format), found keys "
                    + scan.topKeys.prefix(8).joined(separator: ", "))
        }
        var summary = TrajectorySummary(
            instanceId: "", format: format, stepCount: messages.assistant, historyCount: messages.count)
        if let info = scan.info, !info.isNull {
            let fields = try ObjectFields(info, path: JSONPath.root.key("info"), file: file, what: "an object")
            summary.info = info
            summary.exitStatus = nonEmpty(try fields.optionalString("exit_status"))
            summary.submission = try submission(fields, key: "submission")
            summary.miniVersion = try fields.optionalString("mini_version")
            if let stats = try fields.optionalObject("model_stats") {
                summary.modelStats = ModelStats(
                    instanceCost: try stats.optionalDouble("instance_cost"),
                    apiCalls: try stats.optionalInt("api_calls"))
            }
            if let config = try fields.optionalObject("config"), let model = try config.optionalObject("model") {
                summary.modelName = try model.optionalString("model_name")
            }
        }
        if let extra = messages.lastExtra, case .object = extra {
            let fields = try ObjectFields(extra, path: JSONPath.root.key("messages"), file: file)
            if summary.exitStatus == nil { summary.exitStatus = nonEmpty(try fields.optionalString("exit_status")) }
            if summary.submission == nil { summary.submission = try submission(fields, key: "submission") }
        }
        var id: String?
        switch scan.instanceId {
        case nil, .null?: id = nil
        case .string(let text)?: id = text
        case let other?:
            throw ReadError(
                path: file, jsonPath: "$.instance_id", message: "expected a string, found \(FoundDescription.of(other))"
            )
        }
        summary.instanceId =
            id.flatMap { $0.isEmpty ? nil : $0 }
            ?? TrajectoryReader.instanceId(info: nil, file: file, environment: nil)
        return summary
    }

    /// mini-swe-agent writes `""` for "no exit status yet" (2.x) and no submission; both read as none.
    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private static func submission(_ fields: ObjectFields, key: String) throws(ReadError) -> String? {
        guard let value = fields.value(key) else { return nil }
        switch value {
        case .null: return nil
        case .string(let patch): return patch.isEmpty ? nil : patch
        default: throw fields.mismatch(key, expected: "a patch string or null", found: value)
        }
    }
}
