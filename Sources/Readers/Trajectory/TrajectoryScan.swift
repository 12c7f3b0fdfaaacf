internal import SmithJSON

/// One pass over a `.traj` / `.traj.json` document that skips the conversation and keeps the few small parts.
struct TrajectoryScan {
    var topKeys: [String] = []
    var hasTrajectory = false
    var stepCount = 0
    var stepsWithQuery = 0
    var stepsWithMessages = 0
    var historyCount: Int?
    var info: JSONValue?
    var replayConfig: JSONValue?
    var environment: JSONValue?
    /// mini-swe-agent: the top-level `trajectory_format`, `instance_id` and `messages` (counted, not kept).
    var trajectoryFormat: JSONValue?
    var instanceId: JSONValue?
    var messages: MiniMessages?

    /// What the steps carry decides the format; a file with no steps at all is read as pre-1.0 unless its
    /// `info` says SWE-agent 1.x wrote it.
    var format: TrajectoryFormat {
        if !hasTrajectory { return .historyOnly }
        if stepsWithQuery > 0 { return .query }
        if stepsWithMessages > 0 { return .messages }
        if stepCount == 0, let version = info?["swe_agent_version"]?.stringValue {
            if Self.versionAtLeast(version, 1, 1) { return .query }
            if Self.versionAtLeast(version, 1, 0) { return .messages }
        }
        return .pre1
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) -> TrajectoryScan {
        var scan = TrajectoryScan()
        try JSONDocument.withReaderTyped(bytes, file: file) { reader in
            try reader.expect(.object, "a SWE-agent trajectory (a JSON object)", at: .root, file: file)
            try reader.readObject { key, reader in
                scan.topKeys.append(key)
                switch key {
                case "trajectory": try scan.readSteps(&reader, file: file)
                case "history": try scan.countHistory(&reader, file: file)
                case "info": scan.info = try reader.readValue()
                case "replay_config": scan.replayConfig = try reader.readValue()
                case "environment": scan.environment = try reader.readValue()
                case "trajectory_format": scan.trajectoryFormat = try reader.readValue()
                case "instance_id": scan.instanceId = try reader.readValue()
                case "messages": scan.messages = try MiniMessages.scan(&reader, file: file)
                default: try reader.skipValue()
                }
            }
            try reader.finish()
        }
        // The parts kept as values (not the skipped conversation) are held to the readers' depth limit.
        if let info = scan.info { try JSONDocument.requireDepth(info, file: file, at: JSONPath.root.key("info")) }
        if let config = scan.replayConfig {
            try JSONDocument.requireDepth(config, file: file, at: JSONPath.root.key("replay_config"))
        }
        if let extra = scan.messages?.lastExtra {
            try JSONDocument.requireDepth(extra, file: file, at: JSONPath.root.key("messages"))
        }
        if let environment = scan.environment {
            try JSONDocument.requireDepth(environment, file: file, at: JSONPath.root.key("environment"))
        }
        return scan
    }

    private mutating func readSteps(_ reader: inout JSONReader, file: String) throws {
        let path = JSONPath.root.key("trajectory")
        try reader.expect(.array, "a list of steps", at: path, file: file)
        hasTrajectory = true
        try reader.readArray { index, reader in
            try reader.expect(.object, "a step (an object)", at: path.index(index), file: file)
            stepCount += 1
            var query = false
            var messages = false
            // Only the keys matter; the values (the repeated conversation) are skipped by readObject.
            try reader.readObject { key, _ in
                if key == "query" { query = true } else if key == "messages" { messages = true }
            }
            if query { stepsWithQuery += 1 }
            if messages { stepsWithMessages += 1 }
        }
    }

    private mutating func countHistory(_ reader: inout JSONReader, file: String) throws {
        try reader.expect(.array, "a list of messages", at: JSONPath.root.key("history"), file: file)
        var count = 0
        try reader.readArray { _, _ in count += 1 }
        historyCount = count
    }

    /// `1.0.1` ≥ 1.0; unparsable versions compare as 0.
    static func versionAtLeast(_ version: String, _ major: Int, _ minor: Int) -> Bool {
        let parts = version.split(separator: ".").map { Int($0.prefix { $0.isASCIIDigit }) ?? 0 }
        let have = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return have.0 > major || (have.0 == major && have.1 >= minor)
    }
}
