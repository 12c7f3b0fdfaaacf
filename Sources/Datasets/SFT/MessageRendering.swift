import SmithJSON

/// The per-message work shared by the xml and ticks renderers: walking the selection, reading
/// `role`, mapping `tool` to `user`, and the "one-part list" rule for other messages.
enum MessageRendering {
    /// Calls `render` with each message (an object) and its path; collects the results.
    static func map(
        _ selection: MessageSelection, _ render: (JSONValue, String) throws(SFTError) -> SFTMessage
    ) throws(SFTError) -> [SFTMessage] {
        switch selection.value {
        case .array(let items):
            var out: [SFTMessage] = []
            out.reserveCapacity(items.count)
            for (i, message) in items.enumerated() {
                let path = "\(selection.path)[\(i)]"
                guard case .object = message else {
                    throw SFTError(.wrongType, at: path, "a message must be an object, found \(message.pyTypeName)")
                }
                out.append(try render(message, path))
            }
            return out
        // Python iterates a string's characters and fails on the first; an empty one is no messages.
        case .string(let s) where s.isEmpty:
            return []
        default:
            throw SFTError(
                .wrongType, at: selection.path, "expected a list of messages, found \(selection.value.pyTypeName)")
        }
    }

    /// `message["role"]`, with `tool` written as `user`.
    static func role(_ message: JSONValue, path: String) throws(SFTError) -> JSONValue {
        guard let role = message.pyValue("role") else {
            throw SFTError(.missingKey, at: path, "the message has no 'role'")
        }
        return role.pyEquals("tool") ? .string("user") : role
    }

    /// `message[key]`, or the reference's KeyError as an `SFTError`.
    static func required(_ message: JSONValue, _ key: String, path: String) throws(SFTError) -> JSONValue {
        guard let value = message.pyValue(key) else {
            throw SFTError(.missingKey, at: path, "the message has no '\(key)'")
        }
        return value
    }

    /// `message["content"][0]["text"]` after `assert len(message["content"]) == 1`.
    static func onePartText(_ content: JSONValue, path: String) throws(SFTError) -> JSONValue {
        guard let length = content.pyLength else {
            throw SFTError(.wrongType, at: path, "expected a one-part list, found \(content.pyTypeName)")
        }
        guard length == 1 else {
            let noun = content.pyTypeName == "list" ? "parts" : "items in \(English.a(content.pyTypeName))"
            throw SFTError(.notOnePart, at: path, "expected a one-part list, found \(length) \(noun)")
        }
        guard case .array(let parts) = content else {
            throw SFTError(
                .wrongType, at: path, "expected a one-part list, found \(English.a(content.pyTypeName)) of length 1")
        }
        let part = parts[0]
        guard case .object = part else {
            throw SFTError(.wrongType, at: path + "[0]", "a content part must be an object, found \(part.pyTypeName)")
        }
        guard let text = part.pyValue("text") else {
            throw SFTError(.missingKey, at: path + "[0]", "the content part has no 'text'")
        }
        return text
    }
}
