public import SmithJSON

/// Reads torchtune recipe configs (YAML), e.g. SWE-smith's `configs/train/full_ft_qwen_7b.yml`.
public enum TorchtuneConfigReader {
    /// Keys every torchtune recipe config has at least one of; a YAML file with none of them is not a config.
    static let recipeKeys = ["model", "tokenizer", "checkpointer", "dataset", "optimizer"]

    /// Reads the config at `path`.
    ///
    /// Throws `ReadError` for a missing, empty or non-UTF-8 file, invalid YAML, a document that is not a
    /// mapping or has none of the recipe sections, and for tracked fields of the wrong type (the JSON path
    /// names the field, e.g. `$.optimizer.lr: expected a number, found "fast"`).
    public static func read(atPath path: String) throws(ReadError) -> TorchtuneConfig {
        let root = try YAMLDocument.readFile(path, flavor: .omegaConf)
        return try config(from: root, file: path)
    }

    /// The config a parsed document holds (a recorded checkpoint's `config`, say); `file` names it in errors.
    public static func config(from root: JSONValue, file: String) throws(ReadError) -> TorchtuneConfig {
        let top = try ObjectFields(root, file: file, what: "a torchtune config (a YAML mapping)")
        guard recipeKeys.contains(where: top.has) else {
            throw ReadError(
                path: file, jsonPath: "$",
                message: "expected a torchtune config with \(recipeKeys.joined(separator: ", ")), found keys "
                    + top.keys.prefix(8).joined(separator: ", "))
        }
        let resolve = { (text: String?) in text.map { OmegaConfInterpolation.resolve($0, in: root) } }

        let dataset = try top.optionalObject("dataset")
        let checkpointer = try top.optionalObject("checkpointer")
        let model = try top.optionalObject("model")
        let optimizer = try top.optionalObject("optimizer")
        let tokenizer = try top.optionalObject("tokenizer")
        let refCheckpointer = try top.optionalObject("ref_checkpointer")
        let metricLogger = try top.optionalObject("metric_logger")

        var dataFiles: [String] = []
        if let dataset, let value = dataset.value("data_files"), !value.isNull {
            if case .string(let one) = value {
                dataFiles = [one]
            } else if case .array = value {
                dataFiles = try dataset.optionalStringArray("data_files") ?? []
            } else {
                throw dataset.mismatch("data_files", expected: "a path or a list of paths", found: value)
            }
        }

        var config = TorchtuneConfig(
            config: root,
            dataFiles: dataFiles.map { OmegaConfInterpolation.resolve($0, in: root) },
            outputDir: resolve(try top.optionalString("output_dir")),
            checkpointerOutputDir: resolve(try checkpointer?.optionalString("output_dir")),
            checkpointDir: resolve(try checkpointer?.optionalString("checkpoint_dir")),
            modelComponent: try model?.optionalString("_component_"),
            learningRate: try optimizer.flatMap { o throws(ReadError) in try number(o, "lr") },
            epochs: try top.optionalInt("epochs"),
            batchSize: try top.optionalInt("batch_size"),
            gradientAccumulationSteps: try top.optionalInt("gradient_accumulation_steps"),
            maxSeqLen: try tokenizer?.optionalInt("max_seq_len"),
            seed: try top.optionalInt("seed"))
        config.refCheckpointDir = resolve(try refCheckpointer?.optionalString("checkpoint_dir"))
        config.datasetComponent = try dataset?.optionalString("_component_")
        config.metricLoggerComponent = try metricLogger?.optionalString("_component_")
        config.metricLogDir = resolve(try metricLogger?.optionalString("log_dir"))
        config.metricLogFilename = resolve(try metricLogger?.optionalString("filename"))
        return config
    }

    /// A float that PyYAML may have left as a string (`5e-5` has no `.`, so YAML 1.1 does not call it a float).
    private static func number(_ fields: ObjectFields, _ key: String) throws(ReadError) -> Double? {
        guard let value = fields.value(key), !value.isNull else { return nil }
        switch value {
        case .number(let text):
            if let d = Double(text) { return d }
        case .string(let text):
            if let d = Double(text.filter { $0 != "_" }), d.isFinite { return d }
        default:
            break
        }
        throw fields.mismatch(key, expected: "a number", found: value)
    }
}
