public import SmithJSON

/// Turns SWE-agent trajectories into SFT dataset lines, byte for byte as SWE-smith does (and, with
/// `mini-v1`, mini-swe-agent trajectories into lines of the same shape: see ``MiniTransform``).
///
/// A line is what SWE-smith's `transform_to_ft` writes for one trajectory folder:
/// `json.dumps({"messages": [...], "instance_id": ID}) + "\n"`, with the messages made by the
/// reference transform that `version` names. Where the reference raises, the transform throws an
/// ``SFTError`` for that trajectory; it never writes a line the reference would not.
///
/// Reading from bytes parses only the last step (and the one before it when swesmith 0.0.9's
/// exit rule needs it); the other steps are validated and skipped, or with
/// ``SFTValidation/stepsOnly`` only skipped. The transform is a value without shared state: one
/// instance can serve many threads.
public struct SFTTransform: Sendable {
    /// The reference revision and style the lines reproduce.
    public let version: SFTTransformVersion
    /// What the xml style puts in system messages: `agent.templates.system_template` of the
    /// SWE-agent config used for inference (SWE-smith's `agent/swesmith_infer.yaml`). Unused by
    /// ticks and tool.
    public let systemPrompt: String

    public var style: SFTStyle { version.style }

    public init(version: SFTTransformVersion, systemPrompt: String) {
        self.version = version
        self.systemPrompt = systemPrompt
    }

    /// A transform of `style` at its current version (``SFTTransformVersion/current(for:)``).
    public init(style: SFTStyle, systemPrompt: String) {
        self.init(version: .current(for: style), systemPrompt: systemPrompt)
    }

    /// The line for the .traj document in `trajectory`.
    public func line(
        for trajectory: [UInt8], instanceId: String, validation: SFTValidation = .full
    ) throws(SFTError) -> [UInt8] {
        try trajectory.withUnsafeBytes { raw in
            Result { () throws(SFTError) in try line(for: raw, instanceId: instanceId, validation: validation) }
        }.get()
    }

    /// The line for the .traj document in `trajectory`.
    public func line(
        for trajectory: UnsafeRawBufferPointer, instanceId: String, validation: SFTValidation = .full
    ) throws(SFTError) -> [UInt8] {
        var out: [UInt8] = []
        try appendLine(for: trajectory, instanceId: instanceId, validation: validation, to: &out)
        return out
    }

    /// The line for an already parsed .traj document.
    ///
    /// A parsed `JSONValue` has lost escaped lone surrogates (they became U+FFFD), so prefer the
    /// byte forms, which refuse such trajectories instead.
    public func line(for trajectory: JSONValue, instanceId: String) throws(SFTError) -> [UInt8] {
        var out: [UInt8] = []
        let messages =
            version == .miniV1
            ? try MiniTransform.messages(from: trajectory) : try messages(from: TrajectoryTail(document: trajectory))
        SFTLineWriter.write(messages, instanceId: instanceId, into: &out)
        return out
    }

    /// Appends the line for the .traj document in `trajectory` to `out`; on error `out` is unchanged.
    public func appendLine(
        for trajectory: UnsafeRawBufferPointer, instanceId: String, validation: SFTValidation = .full,
        to out: inout [UInt8]
    ) throws(SFTError) {
        // A mini-swe-agent trajectory is read whole: its `messages` are the line (validation is moot).
        let messages =
            version == .miniV1
            ? try MiniTransform.messages(from: trajectory)
            : try messages(from: TrajectoryScanner.tail(of: trajectory, validation: validation))
        SFTLineWriter.write(messages, instanceId: instanceId, into: &out)
    }

    func messages(from tail: TrajectoryTail) throws(SFTError) -> SFTMessages {
        let selection = try MessageSelection(tail: tail, exitRule: version.usesExitRule)
        let messages: SFTMessages
        switch version {
        case .xmlV1, .xmlV2:
            messages = .rendered(try XMLRenderer(version: version, systemPrompt: systemPrompt).render(selection))
        case .ticksV1, .ticksV2:
            messages = .rendered(try TicksRenderer.render(selection))
        case .toolV2:
            messages = .passthrough(selection.value)
        case .miniV1:
            // Not reached: the entry points send mini-swe-agent trajectories to MiniTransform instead.
            throw SFTError(.wrongType, at: "$", "mini-v1 reads mini-swe-agent trajectories, not SWE-agent steps")
        }
        if selection.mayHoldLoneSurrogate, messages.containsReplacementCharacter {
            throw SFTError(
                .loneSurrogate, at: selection.path,
                "the messages hold an escaped lone surrogate, which Python keeps but smithlog cannot reproduce")
        }
        return messages
    }
}

extension SFTMessages {
    /// Whether any string in the messages holds U+FFFD, which is what a lone surrogate decodes to.
    var containsReplacementCharacter: Bool {
        switch self {
        case .passthrough(let value):
            return value.containsReplacementCharacter
        case .rendered(let list):
            return list.contains { $0.role.containsReplacementCharacter || $0.content.containsReplacementCharacter }
        }
    }
}

extension JSONValue {
    fileprivate var containsReplacementCharacter: Bool {
        switch self {
        case .string(let s): return s.unicodeScalars.contains("\u{FFFD}")
        case .array(let items): return items.contains { $0.containsReplacementCharacter }
        case .object(let pairs):
            return pairs.contains {
                $0.0.unicodeScalars.contains("\u{FFFD}") || $0.1.containsReplacementCharacter
            }
        default: return false
        }
    }
}
