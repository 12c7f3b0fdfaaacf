import SmithJSON

/// `json.loads(tool_call["function"]["arguments"]).items()`, with Python's rules and failures.
enum ToolCallArguments {
    /// Python refuses integer literals longer than this (`sys.int_info.default_max_str_digits`).
    static let maxIntDigits = 4300

    /// The argument pairs in Python's dict order (duplicate keys collapsed, last value wins).
    static func parse(_ arguments: JSONValue, path: String) throws(SFTError) -> [(String, JSONValue)] {
        guard case .string(let text) = arguments else {
            throw SFTError(
                .invalidArguments, at: path, "arguments must be a JSON string, found \(arguments.pyTypeName)")
        }
        // json.loads refuses a leading BOM in a str; the byte reader would skip it.
        if text.unicodeScalars.first == "\u{FEFF}" {
            throw SFTError(.invalidArguments, at: path, "arguments are not JSON: unexpected UTF-8 BOM")
        }
        let bytes = Array(text.utf8)
        if LoneSurrogates.present(in: bytes) {
            throw SFTError(
                .loneSurrogate, at: path,
                "arguments hold an escaped lone surrogate, which Python keeps but smithlog cannot reproduce")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw SFTError(.invalidArguments, at: path, "arguments are not JSON: \(error)")
        }
        guard case .object = value else {
            throw SFTError(.invalidArguments, at: path, "arguments must be a JSON object, found \(value.pyTypeName)")
        }
        if let digits = longestInteger(value), digits > maxIntDigits {
            throw SFTError(
                .invalidArguments, at: path, "arguments hold an integer of \(digits) digits, more than Python reads")
        }
        return value.pyCollapsed().objectValue ?? []
    }

    /// Digits of the longest integer literal in `value`, if it has any.
    private static func longestInteger(_ value: JSONValue) -> Int? {
        switch value {
        case .number(let text):
            guard text.utf8.count > maxIntDigits, PyStr.isIntegerLiteral(text) else { return nil }
            return text.utf8.count - (text.hasPrefix("-") ? 1 : 0)
        case .array(let items):
            return items.compactMap(longestInteger).max()
        case .object(let pairs):
            return pairs.compactMap { longestInteger($0.1) }.max()
        default:
            return nil
        }
    }
}

extension PyStr {
    /// True for a JSON number literal that Python reads as an `int`.
    static func isIntegerLiteral(_ text: String) -> Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
            && !text.hasSuffix("NaN") && !text.hasSuffix("Infinity")
    }
}
