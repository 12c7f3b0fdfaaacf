import SmithJSON

/// SWE-smith's `transform_traj_backticks` over selected messages.
///
/// Assistant messages become the thought, a blank line and the action in a fenced block; system
/// messages keep their content (whatever its type); others need a one-part list, even a plain
/// string content fails as it does in the reference.
enum TicksRenderer {
    static func render(_ selection: MessageSelection) throws(SFTError) -> [SFTMessage] {
        try MessageRendering.map(selection) { (message, path) throws(SFTError) in
            let role = try MessageRendering.role(message, path: path)
            let content: JSONValue
            if role.pyEquals("assistant") {
                let thought = try MessageRendering.required(message, "thought", path: path)
                let action = try MessageRendering.required(message, "action", path: path)
                content = .string(PyStr.of(thought) + "\n\n```\n" + PyStr.of(action) + "\n```")
            } else if role.pyEquals("system") {
                content = try MessageRendering.required(message, "content", path: path)
            } else {
                let raw = try MessageRendering.required(message, "content", path: path)
                content = try MessageRendering.onePartText(raw, path: path + ".content")
            }
            return SFTMessage(role: role, content: content)
        }
    }
}
