public import SmithStore

// TEMPORARY until the store branch lands.
public protocol StreamReading {
    func forEach(stream: String, _ body: (RecordedEvent) throws -> Bool) throws
}
public struct MemoryPolicy: Sendable {
    public static let `default` = MemoryPolicy()
}
extension EventLog {
    static func open(
        at location: StoreLocation, readOnly: Bool, identifier: (@Sendable (RecordedEvent) throws -> Digest?)?,
        memory: MemoryPolicy
    ) throws(LogError) -> EventLog {
        try open(at: location, readOnly: readOnly)
    }
}
