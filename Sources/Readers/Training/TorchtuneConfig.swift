public import SmithJSON

/// A torchtune fine-tuning recipe config, with the fields smithlog tracks lifted out.
///
/// String fields are returned with OmegaConf interpolations such as `${output_dir}` resolved against the config
/// itself (torchtune resolves them the same way); `config` keeps the file's text unresolved. Interpolations
/// that do not name a key of the config (`${oc.env:HOME}`) are left as written.
public struct TorchtuneConfig: Sendable, Hashable {
    /// The whole config, key order kept, interpolations not resolved.
    public var config: JSONValue
    /// `dataset.data_files` (a path or a list of paths); empty when the dataset names none.
    public var dataFiles: [String]
    /// `output_dir`.
    public var outputDir: String?
    /// `checkpointer.output_dir`, where `epoch_<N>/` checkpoints land.
    public var checkpointerOutputDir: String?
    /// `checkpointer.checkpoint_dir`: the base model's weights.
    public var checkpointDir: String?
    /// `model._component_`, e.g. `torchtune.models.qwen2_5.qwen2_5_7b_instruct`.
    public var modelComponent: String?
    /// `optimizer.lr`.
    public var learningRate: Double?
    public var epochs: Int?
    public var batchSize: Int?
    public var gradientAccumulationSteps: Int?
    /// `tokenizer.max_seq_len`.
    public var maxSeqLen: Int?
    public var seed: Int?
    /// `ref_checkpointer.checkpoint_dir`: a DPO recipe's reference model, the original weights.
    public var refCheckpointDir: String?
    /// `dataset._component_`, e.g. `torchtune.datasets.preference_dataset`.
    public var datasetComponent: String?
    /// `metric_logger._component_`, e.g. `torchtune.training.metric_logging.DiskLogger` or `...WandBLogger`.
    public var metricLoggerComponent: String?
    /// `metric_logger.log_dir`, where a DiskLogger writes `log_<unix time>.txt`.
    public var metricLogDir: String?
    /// `metric_logger.filename`: a DiskLogger's fixed file name instead of `log_<unix time>.<fmt>`.
    public var metricLogFilename: String?

    /// The dataset is a preference dataset (chosen / rejected pairs, for DPO): torchtune's `preference_dataset`
    /// builder or one of the builders made on it (`stack_exchange_paired_dataset`, `hh_rlhf_helpful_dataset`), or a
    /// builder of the user's whose name says so.
    public var isPreferenceDataset: Bool {
        guard let component = datasetComponent else { return false }
        let last = component.split(separator: ".").last.map(String.init) ?? component
        return ["preference_dataset", "stack_exchange_paired_dataset", "hh_rlhf_helpful_dataset"].contains(last)
            || last.contains("preference") || last.contains("paired")
    }

    /// The metric logger is torchtune's DiskLogger.
    public var usesDiskLogger: Bool { metricLoggerComponent?.hasSuffix("DiskLogger") ?? false }

    /// The base model as a person would name it: the last component of `refCheckpointDir` (a DPO recipe's
    /// reference model, the original weights) or else of `checkpointDir` (`Qwen2.5-Coder-7B-Instruct`), else
    /// `modelComponent`.
    public var baseModel: String? {
        if let dir = refCheckpointDir ?? checkpointDir {
            let trimmed = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
            if let last = trimmed.split(separator: "/").last { return String(last) }
        }
        return modelComponent
    }

    public init(
        config: JSONValue, dataFiles: [String] = [], outputDir: String? = nil, checkpointerOutputDir: String? = nil,
        checkpointDir: String? = nil, modelComponent: String? = nil, learningRate: Double? = nil, epochs: Int? = nil,
        batchSize: Int? = nil, gradientAccumulationSteps: Int? = nil, maxSeqLen: Int? = nil, seed: Int? = nil
    ) {
        self.config = config
        self.dataFiles = dataFiles
        self.outputDir = outputDir
        self.checkpointerOutputDir = checkpointerOutputDir
        self.checkpointDir = checkpointDir
        self.modelComponent = modelComponent
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.maxSeqLen = maxSeqLen
        self.seed = seed
    }
}
