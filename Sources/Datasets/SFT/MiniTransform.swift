import SmithJSON

/// The `mini-v1` transform: a mini-swe-agent trajectory (`<id>/<id>.traj.json`) as the chat its model saw.
///
/// No reference implementation exists; `tools/golden/mini_sft.py` defines it and schema/README.md ("SFT transforms")
/// describes it. The document must be an object whose `trajectory_format` is `mini-swe-agent-1` (1.x) or
/// `mini-swe-agent-1.1` (2.x) and whose `messages` is a list of objects. The messages up to and including the
/// last `role: "assistant"` one are kept (what follows was never sent to a model: 1.x's closing user message,
/// 2.x's `role: "exit"` message); each becomes `role`, `content`, then `tool_calls` and `tool_call_id` when
/// present, values as they are. `extra`, `timestamp` and every other key are dropped. Keys are read as
/// Python's `dict` reads them (a repeated key's last value).
enum MiniTransform {
    static let formats = ["mini-swe-agent-1", "mini-swe-agent-1.1"]
    /// The keys kept after `role` and `content`, in this order, when a message has them.
    private static let optionalKeys = ["tool_calls", "tool_call_id"]

    /// The line's messages, from the trajectory's bytes.
    static func messages(from bytes: UnsafeRawBufferPointer) throws(SFTError) -> SFTMessages {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw SFTError(.invalidJSON, at: "$", "not valid JSON: \(error)")
        }
        let messages = try messages(from: document)
        // An escaped lone surrogate parses to U+FFFD: Python would write it back as it came, we cannot.
        if LoneSurrogates.present(in: bytes), messages.containsReplacementCharacter {
            throw SFTError(
                .loneSurrogate, at: "$.messages",
                "the messages hold an escaped lone surrogate, which Python keeps but smithlog cannot reproduce")
        }
        return messages
    }

    /// The line's messages, from the parsed trajectory.
    static func messages(from document: JSONValue) throws(SFTError) -> SFTMessages {
        guard case .object = document else { throw SFTError(.wrongType, at: "$", "expected an object") }
        let format = document.pyValue("trajectory_format")
        guard let format, formats.contains(where: { format.pyEquals($0) }) else {
            throw SFTError(
                .wrongType, at: "$.trajectory_format",
                "expected mini-swe-agent-1 or mini-swe-agent-1.1, found "
                    + (format.map { PythonRepr.repr($0) } ?? "none (not a mini-swe-agent trajectory)"))
        }
        guard case .array(let all) = document.pyValue("messages") else {
            throw SFTError(.wrongType, at: "$.messages", "expected a list")
        }
        var last: Int?
        for (i, message) in all.enumerated() {
            guard case .object = message else {
                throw SFTError(.wrongType, at: "$.messages[\(i)]", "expected an object")
            }
            if message.pyValue("role")?.pyEquals("assistant") == true { last = i }
        }
        guard let last else { throw SFTError(.missingKey, at: "$.messages", "no assistant message") }
        var kept: [JSONValue] = []
        kept.reserveCapacity(last + 1)
        for (i, message) in all[...last].enumerated() {
            var pairs: [(String, JSONValue)] = []
            for key in ["role", "content"] {
                guard let value = message.pyValue(key) else {
                    throw SFTError(.missingKey, at: "$.messages[\(i)]", "no '\(key)'")
                }
                pairs.append((key, value.pyCollapsed()))
            }
            for key in optionalKeys {
                if let value = message.pyValue(key) { pairs.append((key, value.pyCollapsed())) }
            }
            kept.append(.object(pairs))
        }
        return .passthrough(.array(kept))
    }
}
