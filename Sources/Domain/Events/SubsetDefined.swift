import SmithJSON
public import SmithStore

/// A subset of a dataset's instances chosen by a SQL condition, with its members.
///
/// Version 2 records the members as one blob, `members_sha256`: the member instance ids in dataset order, each
/// followed by `\n` (see `SubsetMembersFile`). Version 1 recorded no blob: its members follow as
/// `InstanceSelected` events (read from version 1, `members_sha256` is null). Identity: the version 1 fields
/// (name, dataset, dataset SHA-256, condition, member count), so the same selection is the same fact whichever
/// version wrote it; members of version 1 reference this event's id as their `definition`.
public struct SubsetDefined: PipelineEvent {
    public static let eventType = EventType.subsetDefined
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: addMembersBlob]

    public var name: String
    /// The dataset, as `NAME` or `NAME@N`.
    public var dataset: String
    public var datasetSHA256: Digest
    public var condition: String
    public var members: Int
    /// SHA-256 of the members blob; nil for a version 1 definition, whose members are `InstanceSelected` events.
    public var membersSHA256: Digest?

    public init(
        name: String, dataset: String, datasetSHA256: Digest, condition: String, members: Int,
        membersSHA256: Digest? = nil
    ) {
        self.name = name
        self.dataset = dataset
        self.datasetSHA256 = datasetSHA256
        self.condition = condition
        self.members = members
        self.membersSHA256 = membersSHA256
    }

    public var stream: String { StreamName.subset(name) }
    public var blobs: [Digest] { membersSHA256.map { [$0] } ?? [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("dataset", dataset)
        p.digest("dataset_sha256", datasetSHA256)
        p.string("condition", condition)
        p.int("members", members)
        p.digest("members_sha256", membersSHA256)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        name = try p.string("name")
        dataset = try p.string("dataset")
        datasetSHA256 = try p.digest("dataset_sha256")
        condition = try p.string("condition")
        members = try p.int("members")
        membersSHA256 = try p.optionalDigest("members_sha256")
    }

    /// The version 1 fields: the members blob follows from them (the same dataset and condition select the same
    /// ids), and a version 1 fact keeps its id.
    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("name", name)
        p.string("dataset", dataset)
        p.digest("dataset_sha256", datasetSHA256)
        p.string("condition", condition)
        p.int("members", members)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(name, "SubsetDefined.name")
        try EventValidation.text(dataset, "SubsetDefined.dataset")
        try EventValidation.count(members, "SubsetDefined.members")
    }

    /// v1 → v2: a version 1 definition's members are its `InstanceSelected` events, not a blob.
    static let addMembersBlob: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs + [("members_sha256", .null)])
    }
}
