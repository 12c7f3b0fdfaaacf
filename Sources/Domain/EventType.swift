/// Every kind of fact the pipeline records, with the schema version new events are written in.
///
/// Evolving a type: bump `currentVersion`, add an upcaster in `Upcasters` from the old version, and
/// leave old events as they were written (see schema/README.md).
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

    /// The schema version new events of this type are written with.
    public var currentVersion: Int {
        switch self {
        // v2 dropped `instance_id` and `row_sha256`, which repeated the stream name and the blob.
        case .instanceRegistered: 2
        default: 1
        }
    }
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
