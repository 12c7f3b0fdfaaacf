internal import SmithJSON

/// Short, human-readable descriptions of a JSON value for "found ..." in error messages.
enum FoundDescription {
    /// At most this many characters of a string are quoted back, so a bad 1 MB patch does not flood a log.
    static let maxQuoted = 40

    static func of(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let text): return "the number " + text
        case .string(let s): return quoted(s)
        case .array(let items): return "an array of \(items.count) item" + (items.count == 1 ? "" : "s")
        case .object: return "an object"
        }
    }

    static func quoted(_ s: String) -> String {
        var shown = String(s.prefix(maxQuoted))
        if shown.count < s.count { shown += "…" }
        shown = shown.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            .replacingAll("\n", with: "\\n")
        return "\"" + shown + "\""
    }
}

extension String {
    /// `replacingOccurrences` without Foundation (Foundation is kept out of the readers' hot paths).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        out.reserveCapacity(count)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
