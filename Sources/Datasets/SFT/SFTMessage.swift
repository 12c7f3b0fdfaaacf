import SmithJSON

/// One message of an SFT line as the reference builds it: `{"role": role, "content": content}`.
///
/// Both are JSON values because the reference copies them from the trajectory without checking
/// their type: a numeric role or a non-string `text` part goes out as it came.
struct SFTMessage {
    var role: JSONValue
    var content: JSONValue
}

/// The `messages` of an SFT line.
enum SFTMessages {
    /// xml and ticks: messages rebuilt as role and content.
    case rendered([SFTMessage])
    /// tool: the selected messages dumped as they are.
    case passthrough(JSONValue)
}

/// Python's `str(v)` (what an f-string does) of a value `json.loads` gave.
enum PyStr {
    static func of(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return PythonRepr.str(value)
    }
}
