public import SmithStore

/// Typed reads of the log: events come back as their Swift types, upcast to the current schema version.
extension EventLog {
    /// Opens the store at `location`, upgrading a store written by an older smithlog when opened for writing.
    public static func openForPipeline(
        at location: StoreLocation, readOnly: Bool = false, memory: MemoryPolicy = .default
    ) throws(LogError) -> EventLog {
        try EventLog.open(
            at: location, readOnly: readOnly, memory: memory, identifier: { EventCatalog.identity(of: $0) })
    }

    /// Creates the store if needed and opens it as `openForPipeline` does; `shared`: see
    /// ``StoreSharing/group``.
    public static func createForPipeline(
        at location: StoreLocation, memory: MemoryPolicy = .default, shared: Bool = false
    )
        throws(LogError) -> EventLog
    {
        try EventLog.create(
            at: location, memory: memory, shared: shared, identifier: { EventCatalog.identity(of: $0) })
    }

    /// Calls `body` with each event of type `E` in `stream` (every stream when nil), in log order; `body`
    /// returns false to stop. An event that cannot be decoded throws, naming it.
    public func forEach<E: PipelineEvent>(
        _ type: E.Type, stream: String? = nil, _ body: (RecordedEvent, E) throws -> Bool
    ) throws {
        let visit = { (event: RecordedEvent) throws -> Bool in
            guard event.type == E.eventType.rawValue else { return true }
            return try body(event, try Self.decoded(E.self, event))
        }
        if let stream {
            try forEach(stream: stream, visit)
        } else {
            try forEach(type: E.eventType.rawValue, visit)
        }
    }

    /// The events of type `E` in `stream` (every stream when nil), in log order, with their records.
    public func events<E: PipelineEvent>(of type: E.Type, stream: String? = nil) throws -> [(RecordedEvent, E)] {
        var found: [(RecordedEvent, E)] = []
        try forEach(type, stream: stream) { record, event in
            found.append((record, event))
            return true
        }
        return found
    }

    /// `event` decoded as `E`, or a `LogError(.corrupt)` naming the event and what is wrong.
    static func decoded<E: PipelineEvent>(_ type: E.Type, _ event: RecordedEvent) throws(LogError) -> E {
        do {
            return try E.decode(event)
        } catch {
            throw LogError(.corrupt, "event \(event.seq) (\(event.type) in \(event.stream)) cannot be read: \(error)")
        }
    }
}
