/// Why a recorded payload could not be read as its event type, naming the field.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Why an event may not be appended: a field that a later command could not read back or would misread.
public struct EventValidationError: Error, Sendable, CustomStringConvertible {
    /// The event type and field, e.g. `InstanceRegistered.instance_id`.
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
