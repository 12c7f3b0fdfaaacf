internal import SmithJSON

/// A run's configuration file: SWE-agent 1.x `run_batch.config.yaml` or pre-1.0 `args.yaml`.
enum RunConfig {
    /// Reads the config as an object. SWE-agent 1.x writes `yaml.dump(config.model_dump_json())`: a YAML file
    /// holding one string, which is the configuration as JSON; that JSON is parsed (key order kept).
    static func read(_ path: String) throws(ReadError) -> JSONValue {
        var config = try YAMLDocument.readFile(path)
        if case .string(let text) = config {
            config = try JSONDocument.parseEmbedded(text, file: path, at: .root, what: "a run configuration")
        }
        guard case .object = config else {
            throw ReadError(
                path: path, jsonPath: "$",
                message: "expected a run configuration (a mapping), found "
                    + FoundDescription.of(config))
        }
        return config
    }

    /// `agent.model.name` (1.x) or `agent.model.model_name` (pre-1.0 `args.yaml`); `nil` when the config has
    /// neither, an error when one is there but not a string.
    static func modelName(_ config: JSONValue, file: String) throws(ReadError) -> String? {
        let top = try ObjectFields(config, file: file)
        guard let agent = try top.optionalObject("agent"), let model = try agent.optionalObject("model") else {
            return nil
        }
        if let name = try model.optionalString("name") { return name }
        return try model.optionalString("model_name")
    }
}
