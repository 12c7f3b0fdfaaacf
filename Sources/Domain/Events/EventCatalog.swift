public import SmithStore

/// Every event type this release knows, by name.
public enum EventCatalog {
    /// The types in the order `EventType` lists them.
    public static let all: [any PipelineEvent.Type] = [
        DatasetImported.self, InstanceRegistered.self, SubsetDefined.self, InstanceSelected.self, RunStarted.self,
        TrajectoryProduced.self, EvalRunStarted.self, EvalVerdictRecorded.self, SftDatasetBuilt.self,
        FtSampleEmitted.self, CheckpointSaved.self, BenchmarkEvaluated.self, Retracted.self,
        TrainingMetricsRecorded.self, NameReleased.self,
    ]

    private static let byName: [String: any PipelineEvent.Type] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.eventType.rawValue, $0) })

    /// The Swift type of `type`.
    public static func type(of type: EventType) -> any PipelineEvent.Type {
        byName[type.rawValue]!
    }

    /// The Swift type of a stored type name, nil for a type this release does not know.
    public static func type(named name: String) -> (any PipelineEvent.Type)? { byName[name] }

    /// A recorded event decoded as its type (upcast to the current version).
    public static func decode(_ event: RecordedEvent) throws(EventDecodingError) -> any PipelineEvent {
        guard let type = byName[event.type] else {
            throw EventDecodingError("event \(event.seq) has the type \(event.type), which this smithlog does not know")
        }
        return try type.decode(event)
    }

    /// The id `event` would get if recorded today (its type's identity); nil when it cannot be decoded.
    ///
    /// Opening a store written before identities were declared maps these ids to the stored ones (store format
    /// 6), so re-recording a fact written under an older schema version adds nothing.
    public static func identity(of event: RecordedEvent) -> Digest? {
        guard let decoded = try? decode(event) else { return nil }
        return decoded.id
    }
}
