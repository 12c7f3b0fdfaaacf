public import SmithStore

// TEMPORARY until the store's memory policy lands.
public struct MemoryPolicy: Sendable {
    public static let `default` = MemoryPolicy()
}
extension EventLog {
    static func open(
        at location: StoreLocation, readOnly: Bool, identifier: @escaping Identifier, memory: MemoryPolicy
    ) throws(LogError) -> EventLog {
        try open(at: location, readOnly: readOnly, identifier: identifier)
    }
}
