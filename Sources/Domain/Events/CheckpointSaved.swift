public import SmithJSON
public import SmithStore

/// A torchtune checkpoint: its config (the blob), hyper-parameters and the SFT data it trained on.
///
/// Identity: the name, the config's SHA-256, the epoch and the folder.
public struct CheckpointSaved: PipelineEvent {
    public static let eventType = EventType.checkpointSaved
    public static let schemaVersion = 1

    /// One file of the checkpoint folder.
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int?
        public var sha256: String?

        public init(path: String, size: Int?, sha256: String?) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    public var name: String
    public var config: JSONValue
    public var configSHA256: Digest
    public var baseModel: String?
    public var learningRate: Double?
    public var epochs: Int?
    public var batchSize: Int?
    public var gradientAccumulationSteps: Int?
    public var maxSeqLen: Int?
    public var dataFiles: String?
    /// The SFT dataset its data file is, as `NAME@N` (`NAME` alone in events recorded before versions).
    public var sftDataset: String?
    /// `sha256`, `file-name` or `unknown`.
    public var sftMatch: String
    public var epoch: Int?
    public var dir: String?
    public var files: [File]

    public init(
        name: String, config: JSONValue, configSHA256: Digest, baseModel: String?, learningRate: Double?,
        epochs: Int?, batchSize: Int?, gradientAccumulationSteps: Int?, maxSeqLen: Int?, dataFiles: String?,
        sftDataset: String?, sftMatch: String, epoch: Int?, dir: String?, files: [File]
    ) {
        self.name = name
        self.config = config
        self.configSHA256 = configSHA256
        self.baseModel = baseModel
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.maxSeqLen = maxSeqLen
        self.dataFiles = dataFiles
        self.sftDataset = sftDataset
        self.sftMatch = sftMatch
        self.epoch = epoch
        self.dir = dir
        self.files = files
    }

    public var stream: String { StreamName.checkpoint(name) }
    public var blobs: [Digest] { [configSHA256] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.json("config", config)
        p.digest("config_sha256", configSHA256)
        p.string("base_model", baseModel)
        p.double("lr", learningRate)
        p.int("epochs", epochs)
        p.int("batch_size", batchSize)
        p.int("gradient_accumulation_steps", gradientAccumulationSteps)
        p.int("max_seq_len", maxSeqLen)
        p.string("data_files", dataFiles)
        p.string("sft_dataset", sftDataset)
        p.string("sft_match", sftMatch)
        p.int("epoch", epoch)
        p.string("dir", dir)
        p.json(
            "files",
            .array(
                files.map { f in
                    .object([
                        ("path", .string(f.path)), ("size", f.size.map { .int($0) } ?? .null),
                        ("sha256", f.sha256.map(JSONValue.string) ?? .null),
                    ])
                }))
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        config = try p.json("config", .object)
        configSHA256 = try p.digest("config_sha256")
        baseModel = try p.optionalString("base_model")
        learningRate = try p.optionalDouble("lr")
        epochs = try p.optionalInt("epochs")
        batchSize = try p.optionalInt("batch_size")
        gradientAccumulationSteps = try p.optionalInt("gradient_accumulation_steps")
        maxSeqLen = try p.optionalInt("max_seq_len")
        dataFiles = try p.optionalString("data_files")
        sftDataset = try p.optionalString("sft_dataset")
        sftMatch = try p.string("sft_match")
        epoch = try p.optionalInt("epoch")
        dir = try p.optionalString("dir")
        guard case .array(let items) = try p.json("files", .array) else {
            throw EventDecodingError("field 'files' must be an array")
        }
        var files: [File] = []
        for item in items {
            guard case .string(let path)? = item["path"] else {
                throw EventDecodingError("field 'files' must hold objects with a string 'path'")
            }
            var size: Int?
            if case .number(let n)? = item["size"] { size = Int(n) }
            files.append(File(path: path, size: size, sha256: item["sha256"]?.stringValue))
        }
        self.files = files
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.digest("config_sha256", configSHA256)
        p.int("epoch", epoch)
        p.string("dir", dir)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "CheckpointSaved.name")
        guard ["sha256", "file-name", "unknown"].contains(sftMatch) else {
            throw EventValidationError("CheckpointSaved.sft_match", "must be sha256, file-name or unknown")
        }
    }
}
