import SmithDomain
import SmithStore

/// An event a projection consumes, decoded as its Domain type (older schema versions upcast by the type).
///
/// An enum rather than `any PipelineEvent`: the events of a catch-up's chunk sit inline in one array, with no
/// box allocated per event, and appliers switch over the case they consume.
enum ProjectedEvent: Sendable {
    case datasetImported(DatasetImported)
    case instanceRegistered(InstanceRegistered)
    case subsetDefined(SubsetDefined)
    case instanceSelected(InstanceSelected)
    case runStarted(RunStarted)
    case trajectoryProduced(TrajectoryProduced)
    case evalRunStarted(EvalRunStarted)
    case evalVerdictRecorded(EvalVerdictRecorded)
    case sftDatasetBuilt(SftDatasetBuilt)
    case ftSampleEmitted(FtSampleEmitted)
    case checkpointSaved(CheckpointSaved)
    case benchmarkEvaluated(BenchmarkEvaluated)
    case retracted(Retracted)
    case trainingMetricsRecorded(TrainingMetricsRecorded)
    case nameReleased(NameReleased)

    /// `event` decoded as `type`; throws what is wrong with it, naming the field.
    static func decode(_ event: RecordedEvent, as type: EventType) throws(EventDecodingError) -> ProjectedEvent {
        switch type {
        case .datasetImported: .datasetImported(try DatasetImported.decode(event))
        case .instanceRegistered: .instanceRegistered(try InstanceRegistered.decode(event))
        case .subsetDefined: .subsetDefined(try SubsetDefined.decode(event))
        case .instanceSelected: .instanceSelected(try InstanceSelected.decode(event))
        case .runStarted: .runStarted(try RunStarted.decode(event))
        case .trajectoryProduced: .trajectoryProduced(try TrajectoryProduced.decode(event))
        case .evalRunStarted: .evalRunStarted(try EvalRunStarted.decode(event))
        case .evalVerdictRecorded: .evalVerdictRecorded(try EvalVerdictRecorded.decode(event))
        case .sftDatasetBuilt: .sftDatasetBuilt(try SftDatasetBuilt.decode(event))
        case .ftSampleEmitted: .ftSampleEmitted(try FtSampleEmitted.decode(event))
        case .checkpointSaved: .checkpointSaved(try CheckpointSaved.decode(event))
        case .benchmarkEvaluated: .benchmarkEvaluated(try BenchmarkEvaluated.decode(event))
        case .retracted: .retracted(try Retracted.decode(event))
        case .trainingMetricsRecorded: .trainingMetricsRecorded(try TrainingMetricsRecorded.decode(event))
        case .nameReleased: .nameReleased(try NameReleased.decode(event))
        }
    }
}
