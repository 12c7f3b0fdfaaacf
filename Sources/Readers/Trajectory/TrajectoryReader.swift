internal import SmithJSON

/// Reads SWE-agent `.traj` files of every generation, and mini-swe-agent `.traj.json` files (1.x and 2.x),
/// into a `TrajectorySummary`.
///
/// Fast on purpose: a `.traj` repeats the whole conversation in every step, so files run to megabytes. The
/// `trajectory` steps, the `history` and mini-swe-agent's `messages` are only scanned (validated, never
/// decoded): of a step only its keys are looked at, to tell the format. `info`, `replay_config` and
/// `environment` are parsed fully. A file with a top-level `trajectory_format` is a mini-swe-agent one.
public enum TrajectoryReader {
    /// Reads the trajectory at `path`; the instance id comes from the file name `<instance_id>.traj` (or
    /// `<instance_id>.traj.json`) unless the file names it.
    ///
    /// Throws `ReadError` for a missing, empty, non-UTF-8 or truncated file, a document that is not a
    /// trajectory (no `trajectory` and no `history`), and values of the wrong type, with their JSON path.
    public static func read(atPath path: String) throws(ReadError) -> TrajectorySummary {
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        return try summarize(file.bytes, file: path)
    }

    /// Reads a trajectory already in memory; `fileName` stands in for the path in errors and names the instance.
    public static func read(bytes: [UInt8], fileName: String) throws(ReadError) -> TrajectorySummary {
        if bytes.isEmpty { throw ReadError(path: fileName, message: "expected content, found an empty file") }
        // `withUnsafeBytes` rethrows untyped errors, so carry the outcome out as a Result.
        let result: Result<TrajectorySummary, ReadError> = bytes.withUnsafeBytes { raw in
            do throws(ReadError) { return .success(try summarize(raw, file: fileName)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func summarize(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) -> TrajectorySummary {
        let scan = try TrajectoryScan.scan(bytes, file: file)
        if scan.trajectoryFormat != nil { return try MiniTrajectory.summarize(scan, file: file) }
        guard scan.hasTrajectory || scan.historyCount != nil else {
            throw ReadError(
                path: file, jsonPath: "$",
                message: "expected a SWE-agent trajectory (keys trajectory, history, info), found keys "
                    + (scan.topKeys.isEmpty ? "none" : scan.topKeys.prefix(8).joined(separator: ", ")))
        }

        var summary = TrajectorySummary(
            instanceId: "", format: scan.format, stepCount: scan.stepCount, historyCount: scan.historyCount)
        if let info = scan.info, !info.isNull {
            try TrajectoryInfo.apply(info, to: &summary, file: file)
        }
        summary.replayConfig = try replayConfig(scan.replayConfig, file: file)
        if let environment = scan.environment {
            switch environment {
            case .null: break
            case .string(let name): summary.environment = name
            default:
                throw ReadError(
                    path: file, jsonPath: "$.environment",
                    message: "expected a string, found \(FoundDescription.of(environment))")
            }
        }
        summary.instanceId = instanceId(info: summary.info, file: file, environment: summary.environment)
        summary.modelName = summary.replayConfig.flatMap { try? RunConfig.modelName($0, file: file) }
        return summary
    }

    /// `info.instance_id` (no SWE-agent writes it yet), else `<id>.traj`, else the environment, else the file name.
    static func instanceId(info: JSONValue?, file: String, environment: String?) -> String {
        if let id = info?["instance_id"]?.stringValue, !id.isEmpty { return id }
        let name = FileSystem.lastComponent(file)
        if name.hasSuffix(".traj"), name.count > 5 { return String(name.dropLast(5)) }
        if name.hasSuffix(".traj.json"), name.count > 10 { return String(name.dropLast(10)) }
        if let environment, !environment.isEmpty { return environment }
        return name
    }

    /// `replay_config` is a JSON string in most versions and an object in some.
    private static func replayConfig(_ value: JSONValue?, file: String) throws(ReadError) -> JSONValue? {
        guard let value else { return nil }
        switch value {
        case .null: return nil
        case .object: return value
        case .string(let text):
            let parsed = try JSONDocument.parseEmbedded(
                text, file: file, at: JSONPath.root.key("replay_config"), what: "a run configuration")
            guard case .object = parsed else {
                throw ReadError(
                    path: file, jsonPath: "$.replay_config",
                    message: "expected a run configuration object in the string, found \(FoundDescription.of(parsed))")
            }
            return parsed
        default:
            throw ReadError(
                path: file, jsonPath: "$.replay_config",
                message: "expected a JSON string or an object, found \(FoundDescription.of(value))")
        }
    }
}
