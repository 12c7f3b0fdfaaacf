import SmithJSON
public import SmithStore

/// One dataset row: its bytes are the event's blob and its instance id the stream (`instance/<id>`).
///
/// Identity: the instance, the dataset, the row's position and its SHA-256. Version 2 dropped `instance_id`
/// and `row_sha256` from the payload, which repeated the stream name and the blob.
public struct InstanceRegistered: PipelineEvent {
    public static let eventType = EventType.instanceRegistered
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: dropEnvelopeFields]

    public var instanceID: String
    /// SHA-256 of the row's bytes (the blob).
    public var row: Digest
    public var dataset: String
    public var position: Int
    public var repo: String?
    public var bugType: String
    public var failToPassCount: Int
    public var passToPassCount: Int
    public var imageName: String?
    public var createdAt: String?

    public init(
        instanceID: String, row: Digest, dataset: String, position: Int, repo: String?, bugType: String,
        failToPassCount: Int, passToPassCount: Int, imageName: String?, createdAt: String?
    ) {
        self.instanceID = instanceID
        self.row = row
        self.dataset = dataset
        self.position = position
        self.repo = repo
        self.bugType = bugType
        self.failToPassCount = failToPassCount
        self.passToPassCount = passToPassCount
        self.imageName = imageName
        self.createdAt = createdAt
    }

    public var stream: String { StreamName.instance(instanceID) }
    public var blobs: [Digest] { [row] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("dataset", dataset)
        p.int("position", position)
        p.string("repo", repo)
        p.string("bug_type", bugType)
        p.int("f2p_count", failToPassCount)
        p.int("p2p_count", passToPassCount)
        p.string("image_name", imageName)
        p.string("created_at", createdAt)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        let prefix = "instance/"
        guard envelope.stream.hasPrefix(prefix), envelope.blobs.count == 1 else {
            throw EventDecodingError("an InstanceRegistered needs an instance/<id> stream and exactly one blob")
        }
        instanceID = String(envelope.stream.dropFirst(prefix.count))
        row = envelope.blobs[0]
        dataset = try p.string("dataset")
        position = try p.int("position")
        repo = try p.optionalString("repo")
        bugType = try p.string("bug_type")
        failToPassCount = try p.int("f2p_count")
        passToPassCount = try p.int("p2p_count")
        imageName = try p.optionalString("image_name")
        createdAt = try p.optionalString("created_at")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("dataset", dataset)
        p.int("position", position)
        p.digest("row_sha256", row)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.instanceID(instanceID, "InstanceRegistered.instance_id")
        try EventValidation.name(dataset, "InstanceRegistered.dataset")
        try EventValidation.count(position, "InstanceRegistered.position")
    }

    /// v1 → v2: drops `instance_id` and `row_sha256`, keeping the other fields in order. smithlog always wrote
    /// them equal to the stream name and the blob, which is where v2 reads them from.
    static let dropEnvelopeFields: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        return .object(pairs.filter { $0.0 != "instance_id" && $0.0 != "row_sha256" })
    }
}
