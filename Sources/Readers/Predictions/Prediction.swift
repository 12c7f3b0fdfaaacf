/// One model prediction: the patch an agent produced for a task instance.
public struct Prediction: Sendable, Hashable {
    public var instanceId: String
    /// `model_name_or_path`, the name the harness files results under.
    public var modelNameOrPath: String
    /// `model_patch`; `nil` when the file has `null` (the agent submitted nothing).
    public var modelPatch: String?

    public init(instanceId: String, modelNameOrPath: String, modelPatch: String?) {
        self.instanceId = instanceId
        self.modelNameOrPath = modelNameOrPath
        self.modelPatch = modelPatch
    }
}
