internal import SmithJSON

/// The `messages` list of a mini-swe-agent trajectory, counted in one pass: the conversation is validated
/// and skipped, only each message's `role` and the last message's `extra` are kept.
struct MiniMessages {
    /// Entries in the list.
    var count = 0
    /// Messages with `role: "assistant"`: one per model call, each carrying the action it chose.
    var assistant = 0
    /// `extra` of the last message when that message is not an assistant's (2.x puts `exit_status` and
    /// `submission` there); assistant extras hold the raw API response and are never parsed.
    var lastExtra: JSONValue?

    static func scan(_ reader: inout JSONReader, file: String) throws -> MiniMessages {
        let path = JSONPath.root.key("messages")
        try reader.expect(.array, "a list of messages", at: path, file: file)
        var out = MiniMessages()
        try reader.readArray { index, reader in
            try reader.expect(.object, "a message (an object)", at: path.index(index), file: file)
            out.count += 1
            var role: String?
            var extra: JSONValue?
            try reader.readObject { key, reader in
                switch key {
                case "role":
                    guard case .string(let text) = try reader.readValue() else {
                        throw ReadError(
                            path: file, jsonPath: path.index(index).key("role").text, message: "expected a string")
                    }
                    role = text
                // `role` comes first in every file mini-swe-agent writes; an `extra` before it is skipped.
                case "extra" where role != nil && role != "assistant": extra = try reader.readValue()
                default: break
                }
            }
            if role == "assistant" { out.assistant += 1 }
            out.lastExtra = extra
        }
        return out
    }
}
