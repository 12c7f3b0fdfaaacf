import SmithJSON

/// The checks event types share: names, instance ids and payload limits.
///
/// What is refused here is what a later command could not read back or would misread: an empty id makes a
/// stream (`instance/`) that every projection rejects, and a payload nested deeper than the JSON reader's limit
/// can be written but never read again.
public enum EventValidation {
    /// Longest name or instance id accepted, in UTF-8 bytes.
    public static let maximumNameLength = 256
    /// Largest payload accepted, in compact JSON bytes (configs and metadata; artifacts are blobs).
    public static let maximumPayloadBytes = 8 << 20
    /// Deepest nesting accepted: below the JSON reader's own limit, so the stored payload always parses.
    public static let maximumDepth = JSONReader.maximumDepth - 10

    /// A name of a dataset, subset, run, eval run, SFT set, checkpoint or result.
    ///
    /// Non-empty, at most 256 bytes, no control characters, no surrounding spaces, and not ending in `@<digits>`
    /// (that suffix names a version, see `VersionedName`).
    public static func name(_ value: String, _ field: String) throws(EventValidationError) {
        try text(value, field, what: "a name")
        if VersionedName.splitVersion(value) != nil {
            throw EventValidationError(
                field, "'\(value)' ends in @<number>, which names a version; choose another name")
        }
    }

    /// A SWE-bench / SWE-smith instance id: non-empty, at most 256 bytes, printable ASCII without spaces or `/`.
    public static func instanceID(_ value: String, _ field: String) throws(EventValidationError) {
        guard !value.isEmpty else { throw EventValidationError(field, "the instance id is empty") }
        guard value.utf8.count <= maximumNameLength else {
            throw EventValidationError(field, "the instance id is longer than \(maximumNameLength) bytes")
        }
        guard value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }), value != ".", value != ".."
        else {
            throw EventValidationError(
                field, "'\(value.prefix(80))' is not an instance id (printable ASCII without spaces or '/')")
        }
    }

    /// Free text that names something (a model, a benchmark split): non-empty and printable.
    public static func text(_ value: String, _ field: String, what: String = "a value") throws(EventValidationError) {
        guard !value.isEmpty else { throw EventValidationError(field, "\(what) must not be empty") }
        guard value.utf8.count <= maximumNameLength else {
            throw EventValidationError(field, "'\(value.prefix(40))…' is longer than \(maximumNameLength) bytes")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw EventValidationError(field, "'\(value.prefix(80).debugDescription)' holds a control character")
        }
        guard value.first?.isWhitespace != true, value.last?.isWhitespace != true else {
            throw EventValidationError(field, "'\(value)' starts or ends with a space")
        }
    }

    /// A count or position: not negative.
    public static func count(_ value: Int, _ field: String) throws(EventValidationError) {
        guard value >= 0 else { throw EventValidationError(field, "must not be negative, found \(value)") }
    }

    /// The whole payload: within the JSON reader's depth limit and the size limit.
    static func payloadFits(_ payload: JSONValue, type: EventType) throws(EventValidationError) {
        if depth(payload, limit: maximumDepth) > maximumDepth {
            throw EventValidationError(
                type.rawValue, "the payload is nested deeper than \(maximumDepth) levels and could not be read back")
        }
        // Serialising every payload only to measure it doubled an append's encoding work; a bound from the
        // value's own lengths decides almost every event, and only a payload near the limit is measured exactly.
        guard upperBoundOfSize(payload) > maximumPayloadBytes else { return }
        let size = PythonJSON.compactBytes(payload).count
        guard size <= maximumPayloadBytes else {
            throw EventValidationError(
                type.rawValue, "the payload is \(size) bytes; at most \(maximumPayloadBytes) are accepted")
        }
    }

    /// At least the compact JSON size of `value`: each string counted as if every character were escaped
    /// (`\uXXXX`, 6 bytes per UTF-8 byte), plus punctuation.
    private static func upperBoundOfSize(_ value: JSONValue) -> Int {
        switch value {
        case .null, .bool: return 5
        case .number(let n): return n.utf8.count
        case .string(let s): return 2 + 6 * s.utf8.count
        case .array(let items): return 2 + items.reduce(0) { $0 + 1 + upperBoundOfSize($1) }
        case .object(let pairs):
            return 2 + pairs.reduce(0) { $0 + 4 + 6 * $1.0.utf8.count + upperBoundOfSize($1.1) }
        }
    }

    /// Nesting depth of `value`, counting stops just past `limit`.
    private static func depth(_ value: JSONValue, limit: Int) -> Int {
        var deepest = 0
        var stack: [(JSONValue, Int)] = [(value, 0)]
        while let (v, d) = stack.popLast() {
            switch v {
            case .array(let items):
                deepest = max(deepest, d + 1)
                if d + 1 > limit { return deepest }
                for item in items { stack.append((item, d + 1)) }
            case .object(let pairs):
                deepest = max(deepest, d + 1)
                if d + 1 > limit { return deepest }
                for (_, item) in pairs { stack.append((item, d + 1)) }
            default: break
            }
        }
        return deepest
    }
}
