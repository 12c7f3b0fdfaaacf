/// The name of every kind of fact the pipeline records, as stored in the log.
///
/// Each has one `PipelineEvent` type (`EventCatalog.type(of:)`) holding its fields, version and codec.
public enum EventType: String, CaseIterable, Sendable {
    case datasetImported = "DatasetImported"
    case instanceRegistered = "InstanceRegistered"
    case subsetDefined = "SubsetDefined"
    case instanceSelected = "InstanceSelected"
    case runStarted = "RunStarted"
    case trajectoryProduced = "TrajectoryProduced"
    case evalRunStarted = "EvalRunStarted"
    case evalVerdictRecorded = "EvalVerdictRecorded"
    case sftDatasetBuilt = "SftDatasetBuilt"
    case ftSampleEmitted = "FtSampleEmitted"
    case checkpointSaved = "CheckpointSaved"
    case benchmarkEvaluated = "BenchmarkEvaluated"
    case retracted = "Retracted"
    case trainingMetricsRecorded = "TrainingMetricsRecorded"
    case nameReleased = "NameReleased"

    /// The schema version new events of this type are written with.
    public var currentVersion: Int { EventCatalog.type(of: self).schemaVersion }
}

/// Stream names: the aggregate an event belongs to, e.g. `run/<name>`.
public enum StreamName {
    public static func dataset(_ name: String) -> String { "dataset/" + name }
    public static func instance(_ id: String) -> String { "instance/" + id }
    public static func subset(_ name: String) -> String { "subset/" + name }
    public static func run(_ name: String) -> String { "run/" + name }
    public static func evalRun(_ name: String) -> String { "eval/" + name }
    public static func sft(_ name: String) -> String { "sft/" + name }
    public static func checkpoint(_ name: String) -> String { "checkpoint/" + name }
    public static func benchmark(_ name: String) -> String { "benchmark/" + name }
}
