public import SmithStore

/// A subset of a dataset's instances chosen by a SQL condition; its members follow as `InstanceSelected`.
///
/// Identity: every field (members reference this event's id as their `definition`).
public struct SubsetDefined: PipelineEvent {
    public static let eventType = EventType.subsetDefined
    public static let schemaVersion = 1

    public var name: String
    /// The dataset, as `NAME` or `NAME@N`.
    public var dataset: String
    public var datasetSHA256: Digest
    public var condition: String
    public var members: Int

    public init(name: String, dataset: String, datasetSHA256: Digest, condition: String, members: Int) {
        self.name = name
        self.dataset = dataset
        self.datasetSHA256 = datasetSHA256
        self.condition = condition
        self.members = members
    }

    public var stream: String { StreamName.subset(name) }
    public var blobs: [Digest] { [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("dataset", dataset)
        p.digest("dataset_sha256", datasetSHA256)
        p.string("condition", condition)
        p.int("members", members)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        dataset = try p.string("dataset")
        datasetSHA256 = try p.digest("dataset_sha256")
        condition = try p.string("condition")
        members = try p.int("members")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) { encode(to: &p) }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "SubsetDefined.name")
        try EventValidation.text(dataset, "SubsetDefined.dataset")
        try EventValidation.count(members, "SubsetDefined.members")
    }
}
