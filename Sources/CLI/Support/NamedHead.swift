import SmithDomain
import SmithStore

/// The recorded event behind `NAME[@N]` of a kind, for commands that take a kind and a name.
enum NamedHead {
    /// The head event of the version `name` means; `NameError(.notFound)` when there is none.
    static func record(_ kind: NamedKind, _ name: VersionedName, log: EventLog) throws -> RecordedEvent {
        switch kind {
        case .dataset: try log.resolve(name, kind, as: DatasetImported.self).record
        case .subset: try log.resolve(name, kind, as: SubsetDefined.self).record
        case .run: try log.resolve(name, kind, as: RunStarted.self).record
        case .eval: try log.resolve(name, kind, as: EvalRunStarted.self).record
        case .sft: try log.resolve(name, kind, as: SftDatasetBuilt.self).record
        case .checkpoint: try log.resolve(name, kind, as: CheckpointSaved.self).record
        case .bench: try log.resolve(name, kind, as: BenchmarkEvaluated.self).record
        }
    }
}
