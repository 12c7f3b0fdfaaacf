/// The kinds of named, versioned things: each has a stream per name and an event type that starts a version.
///
/// Version N of a name is the N-th event of the kind's `headType` in the name's stream, in log order: what
/// was recorded against a version stays pinned to it, and recording different content under the name needs
/// `--new-version`.
public enum NamedKind: String, CaseIterable, Sendable {
    case dataset, subset, run, eval, sft, checkpoint, bench

    /// The event whose appearance in the stream makes a new version.
    public var headType: EventType {
        switch self {
        case .dataset: .datasetImported
        case .subset: .subsetDefined
        case .run: .runStarted
        case .eval: .evalRunStarted
        case .sft: .sftDatasetBuilt
        case .checkpoint: .checkpointSaved
        case .bench: .benchmarkEvaluated
        }
    }

    /// The stream of `name`.
    public func stream(_ name: String) -> String {
        switch self {
        case .dataset: StreamName.dataset(name)
        case .subset: StreamName.subset(name)
        case .run: StreamName.run(name)
        case .eval: StreamName.evalRun(name)
        case .sft: StreamName.sft(name)
        case .checkpoint: StreamName.checkpoint(name)
        case .bench: StreamName.benchmark(name)
        }
    }

    /// How users and messages call it: "SFT dataset", "benchmark result".
    public var noun: String {
        switch self {
        case .dataset: "dataset"
        case .subset: "subset"
        case .run: "trajectory run"
        case .eval: "evaluation run"
        case .sft: "SFT dataset"
        case .checkpoint: "checkpoint"
        case .bench: "benchmark result"
        }
    }
}
