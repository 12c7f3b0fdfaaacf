import SmithJSON

/// SWE-smith's `tool_call_to_action`: OpenAI-style tool calls as SWE-agent-LM's XML call text.
///
/// Each call becomes `<function=NAME>`, one `<parameter=K>V</parameter>` line per argument in the
/// arguments' own key order (`old_str`, `new_str` and `file_text` wrapped in newlines), then
/// `</function>`; calls are joined by a newline. V is Python's `str()` of the argument value as
/// `json.loads` reads the `arguments` string (duplicate keys: last value, first place; NaN and
/// Infinity accepted).
enum ToolCallXML {
    static let blockParameters: Set<String> = ["old_str", "new_str", "file_text"]

    /// The joined action text of a message's `tool_calls` value.
    static func actions(_ toolCalls: JSONValue, path: String) throws(SFTError) -> String {
        var out = ""
        switch toolCalls {
        case .null:
            return ""
        case .array(let calls):
            for (i, call) in calls.enumerated() {
                if i > 0 { out += "\n" }
                try append(call, path: "\(path)[\(i)]", to: &out)
            }
            return out
        // Python iterates these too: empty ones give no calls, others fail on the first item.
        case .string(let s) where s.isEmpty:
            return ""
        case .object(let pairs) where pairs.isEmpty:
            return ""
        default:
            throw SFTError(.wrongType, at: path, "expected a list of tool calls, found \(toolCalls.pyTypeName)")
        }
    }

    private static func append(_ call: JSONValue, path: String, to out: inout String) throws(SFTError) {
        guard case .object = call else {
            throw SFTError(.wrongType, at: path, "a tool call must be an object, found \(call.pyTypeName)")
        }
        guard let function = call.pyValue("function") else {
            throw SFTError(.missingKey, at: path, "the tool call has no 'function'")
        }
        let functionPath = path + ".function"
        guard case .object = function else {
            throw SFTError(.wrongType, at: functionPath, "expected an object, found \(function.pyTypeName)")
        }
        guard let name = function.pyValue("name") else {
            throw SFTError(.missingKey, at: functionPath, "the function has no 'name'")
        }
        guard let arguments = function.pyValue("arguments") else {
            throw SFTError(.missingKey, at: functionPath, "the function has no 'arguments'")
        }
        let parsed = try ToolCallArguments.parse(arguments, path: functionPath + ".arguments")
        out += "<function="
        out += PyStr.of(name)
        out += ">"
        for (key, value) in parsed {
            let block = blockParameters.contains(key)
            out += "\n<parameter="
            out += key
            out += block ? ">\n" : ">"
            out += PyStr.of(value)
            out += block ? "\n</parameter>" : "</parameter>"
        }
        out += "\n</function>"
    }
}
