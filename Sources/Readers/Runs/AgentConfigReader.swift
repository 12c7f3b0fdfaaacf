internal import SmithJSON

/// Reads a SWE-agent config YAML (e.g. SWE-smith's `agent/swesmith_infer.yaml`).
public enum AgentConfigReader {
    /// `agent.templates.system_template`: the system prompt the xml SFT style puts in system messages.
    public static func systemTemplate(atPath path: String) throws(ReadError) -> String {
        let config = try YAMLDocument.readFile(path)
        guard let template = config["agent"]?["templates"]?["system_template"] else {
            throw ReadError(path: path, jsonPath: "$.agent.templates.system_template", message: "missing")
        }
        guard let text = template.stringValue else {
            throw ReadError(
                path: path, jsonPath: "$.agent.templates.system_template", message: "expected a string")
        }
        return text
    }
}
