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

    /// The base model as a person would name it: the last component of `checkpointDir`
    /// (`Qwen2.5-Coder-7B-Instruct`), else `modelComponent`.
    public var baseModel: String? {
        if let dir = checkpointDir {
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
