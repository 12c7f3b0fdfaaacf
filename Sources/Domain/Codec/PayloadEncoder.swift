public import SmithJSON
public import SmithStore

/// Writes an event's payload fields in a fixed order: the write half of an event type's codec.
///
/// Each event type lists its fields once in `encode(to:)` and reads them back in the same order in
/// `init(from:envelope:)`; keys are spelled only there.
public struct PayloadEncoder {
    public private(set) var pairs: [(String, JSONValue)] = []

    public init() { pairs.reserveCapacity(16) }

    public var value: JSONValue { .object(pairs) }

    public mutating func string(_ key: String, _ value: String) { pairs.append((key, .string(value))) }

    public mutating func string(_ key: String, _ value: String?) {
        pairs.append((key, value.map(JSONValue.string) ?? .null))
    }

    public mutating func int(_ key: String, _ value: Int) { pairs.append((key, .int(value))) }

    public mutating func int(_ key: String, _ value: Int?) { pairs.append((key, value.map { .int($0) } ?? .null)) }

    public mutating func bool(_ key: String, _ value: Bool) { pairs.append((key, .bool(value))) }

    public mutating func bool(_ key: String, _ value: Bool?) { pairs.append((key, value.map(JSONValue.bool) ?? .null)) }

    /// A float as Python's `repr` writes it; JSON has no inf/nan, so those are null.
    public mutating func double(_ key: String, _ value: Double?) {
        pairs.append((key, value.flatMap { $0.isFinite ? .number(PythonFloat.repr($0)) : nil } ?? .null))
    }

    /// A SHA-256 or event id as 64 lowercase hex digits.
    public mutating func digest(_ key: String, _ value: Digest) { pairs.append((key, .string(value.hex))) }

    public mutating func digest(_ key: String, _ value: Digest?) {
        pairs.append((key, value.map { .string($0.hex) } ?? .null))
    }

    public mutating func strings(_ key: String, _ value: [String]?) {
        pairs.append((key, value.map { .array($0.map(JSONValue.string)) } ?? .null))
    }

    /// Counts by name, as a JSON object in the given order.
    public mutating func counts(_ key: String, _ value: [(String, Int)]) {
        pairs.append((key, .object(value.map { ($0.0, .int($0.1)) })))
    }

    public mutating func json(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }
}
