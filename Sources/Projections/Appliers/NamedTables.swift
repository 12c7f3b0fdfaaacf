package import SmithDomain

/// The projection table holding the versions of each kind of named thing (one row per version).
package enum NamedTables {
    package static func table(of kind: NamedKind) -> String {
        switch kind {
        case .dataset: "datasets"
        case .subset: "subsets"
        case .run: "runs"
        case .eval: "eval_runs"
        case .sft: "sft_datasets"
        case .checkpoint: "checkpoints"
        case .bench: "benchmark_results"
        }
    }
}
