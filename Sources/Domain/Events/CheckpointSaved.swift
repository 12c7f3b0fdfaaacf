public import SmithJSON
public import SmithStore

/// A torchtune checkpoint: its config (the blob), hyper-parameters and the SFT data it trained on.
///
/// Identity: the name, the config's SHA-256, the epoch and the folder. Version 2 added `data_kind`,
/// `data_sha256` and `parent_checkpoint` (a DPO run trained from another recorded checkpoint on preference
/// data); read from version 1 they are `sft` when the config names a data file (null when it names none), null
/// and null.
public struct CheckpointSaved: PipelineEvent {
    public static let eventType = EventType.checkpointSaved
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: addDataAndParent]

    /// The values of `sftMatch`: `none` says the data is not SFT data (a preference dataset), so there is
    /// nothing to match.
    public static let sftMatches = ["sha256", "file-name", "unknown", "none"]
    /// The values of `dataKind`.
    public static let dataKinds = ["sft", "preference"]

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
    /// What `data_files` holds: `sft`, or `preference` (a DPO recipe's `preference_dataset`); nil when the config
    /// names no dataset.
    public var dataKind: String?
    /// SHA-256 of the data file, when it was found.
    public var dataSHA256: Digest?
    /// The checkpoint this one was trained from, as `NAME@N`: the one whose folder `checkpointer.checkpoint_dir`
    /// names.
    public var parentCheckpoint: String?

    public init(
        name: String, config: JSONValue, configSHA256: Digest, baseModel: String?, learningRate: Double?,
        epochs: Int?, batchSize: Int?, gradientAccumulationSteps: Int?, maxSeqLen: Int?, dataFiles: String?,
        sftDataset: String?, sftMatch: String, epoch: Int?, dir: String?, files: [File], dataKind: String? = nil,
        dataSHA256: Digest? = nil, parentCheckpoint: String? = nil
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
        self.dataKind = dataKind
        self.dataSHA256 = dataSHA256
        self.parentCheckpoint = parentCheckpoint
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
        p.string("data_kind", dataKind)
        p.digest("data_sha256", dataSHA256)
        p.string("parent_checkpoint", parentCheckpoint)
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
        dataKind = try p.optionalString("data_kind")
        dataSHA256 = try p.optionalDigest("data_sha256")
        parentCheckpoint = try p.optionalString("parent_checkpoint")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.digest("config_sha256", configSHA256)
        p.int("epoch", epoch)
        p.string("dir", dir)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "CheckpointSaved.name")
        guard Self.sftMatches.contains(sftMatch) else {
            throw EventValidationError("CheckpointSaved.sft_match", "must be sha256, file-name, unknown or none")
        }
        if let dataKind, !Self.dataKinds.contains(dataKind) {
            throw EventValidationError("CheckpointSaved.data_kind", "must be sft, preference or null")
        }
        if let parentCheckpoint {
            let parent = VersionedName(parsing: parentCheckpoint)
            try EventValidation.name(parent.name, "CheckpointSaved.parent_checkpoint")
            guard parent.version != nil else {
                throw EventValidationError("CheckpointSaved.parent_checkpoint", "must be NAME@N")
            }
        }
    }

    /// v1 → v2: a v1 checkpoint's data file was taken for SFT data; its hash and parent were not recorded.
    static let addDataAndParent: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        let dataFiles = pairs.first(where: { $0.0 == "data_files" })?.1 ?? .null
        let kind: JSONValue = dataFiles == .null ? .null : .string("sft")
        return .object(pairs + [("data_kind", kind), ("data_sha256", .null), ("parent_checkpoint", .null)])
    }
}
