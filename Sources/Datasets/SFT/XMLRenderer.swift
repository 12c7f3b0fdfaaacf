import SmithJSON

/// SWE-smith's `transform_traj_xml` (xml-v1 and xml-v2) over selected messages.
///
/// System messages get the inference system prompt; assistant messages become thought plus XML
/// tool calls; others the text of a one-part list or the string itself.
struct XMLRenderer {
    /// What the reference writes for an assistant message whose content is "Exit due to cost limit".
    static let costLimitReplacement =
        "Since we have successfully fixed the issue and verified it works, let's submit the changes:\n\n"
        + "<function=submit>\n</function>"

    var version: SFTTransformVersion
    var systemPrompt: String

    func render(_ selection: MessageSelection) throws(SFTError) -> [SFTMessage] {
        let system = JSONValue.string(systemPrompt)
        return try MessageRendering.map(selection) { (message, path) throws(SFTError) in
            let role = try MessageRendering.role(message, path: path)
            let content: JSONValue
            if role.pyEquals("assistant") {
                content = .string(try assistant(message, path: path))
            } else if role.pyEquals("system") {
                content = system
            } else {
                content = try other(message, path: path)
            }
            return SFTMessage(role: role, content: content)
        }
    }

    private func assistant(_ message: JSONValue, path: String) throws(SFTError) -> String {
        let content = try MessageRendering.required(message, "content", path: path)
        if content.pyEquals("Exit due to cost limit") { return Self.costLimitReplacement }
        if version == .xmlV1 {
            guard let toolCalls = message.pyValue("tool_calls") else {
                throw SFTError(
                    .missingToolCalls, at: path, "the assistant message has no 'tool_calls' (xml-v1 requires them)")
            }
            let action = try ToolCallXML.actions(toolCalls, path: path + ".tool_calls")
            let thought = try MessageRendering.required(message, "thought", path: path)
            return PyStr.of(thought) + "\n\n" + action
        }
        // xml-v2: message.get("thought", message["content"]), `+=` the calls, then .strip().
        let base = message.pyValue("thought") ?? content
        var action: String?
        if let toolCalls = message.pyValue("tool_calls") {
            action = try ToolCallXML.actions(toolCalls, path: path + ".tool_calls")
        }
        guard case .string(let text) = base else {
            let key = message.pyHasKey("thought") ? "thought" : "content"
            throw SFTError(.wrongType, at: "\(path).\(key)", "expected a string, found \(base.pyTypeName)")
        }
        guard let action else { return PythonWhitespace.strip(text) }
        return PythonWhitespace.strip(text + "\n\n" + action)
    }

    private func other(_ message: JSONValue, path: String) throws(SFTError) -> JSONValue {
        let content = try MessageRendering.required(message, "content", path: path)
        switch content {
        case .array:
            return try MessageRendering.onePartText(content, path: path + ".content")
        case .string:
            return content
        default:
            throw SFTError(
                .wrongType, at: path + ".content", "expected a string or a one-part list, found \(content.pyTypeName)")
        }
    }
}
