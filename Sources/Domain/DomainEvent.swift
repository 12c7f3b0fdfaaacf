public import SmithJSON
public import SmithStore

/// A pipeline event ready to append: its type, stream, payload and the blobs it refers to.
public struct DomainEvent: Sendable {
    public var type: EventType
    public var stream: String
    public var payload: JSONValue
    public var blobs: [Digest]

    public init(_ type: EventType, stream: String, payload: JSONValue, blobs: [Digest] = []) {
        self.type = type
        self.stream = stream
        self.payload = payload
        self.blobs = blobs
    }

    public var newEvent: NewEvent {
        NewEvent(
            type: type.rawValue, schemaVersion: type.currentVersion, stream: stream, payload: payload, blobs: blobs)
    }
}

/// Builds payload objects in a fixed key order with a little less noise than nested enum cases.
public struct PayloadBuilder {
    public private(set) var pairs: [(String, JSONValue)] = []

    public init() {}

    public mutating func set(_ key: String, _ value: String?) {
        pairs.append((key, value.map(JSONValue.string) ?? .null))
    }
    public mutating func set(_ key: String, _ value: Int?) { pairs.append((key, value.map { .int($0) } ?? .null)) }
    public mutating func set(_ key: String, _ value: Int64?) { pairs.append((key, value.map { .int($0) } ?? .null)) }
    public mutating func set(_ key: String, _ value: Bool?) { pairs.append((key, value.map(JSONValue.bool) ?? .null)) }
    public mutating func set(_ key: String, _ value: Double?) {
        // JSON has no inf/nan; an unknown cost is null, not a string.
        pairs.append((key, value.flatMap { $0.isFinite ? .number(PythonFloat.repr($0)) : nil } ?? .null))
    }
    public mutating func set(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }
    public mutating func set(_ key: String, strings: [String]) {
        pairs.append((key, .array(strings.map(JSONValue.string))))
    }

    public var value: JSONValue { .object(pairs) }
}
