public import SmithStore

/// One member of a subset, pinned to the `SubsetDefined` (by event id) that chose it.
///
/// Identity: every field.
public struct InstanceSelected: PipelineEvent {
    public static let eventType = EventType.instanceSelected
    public static let schemaVersion = 1

    public var subset: String
    /// Id of the `SubsetDefined` this member belongs to.
    public var definition: Digest
    public var instanceID: String
    public var position: Int

    public init(subset: String, definition: Digest, instanceID: String, position: Int) {
        self.subset = subset
        self.definition = definition
        self.instanceID = instanceID
        self.position = position
    }

    public var stream: String { StreamName.subset(subset) }
    public var blobs: [Digest] { [] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("subset", subset)
        p.digest("definition", definition)
        p.string("instance_id", instanceID)
        p.int("position", position)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        subset = try p.string("subset")
        definition = try p.digest("definition")
        instanceID = try p.string("instance_id")
        position = try p.int("position")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) { encode(to: &p) }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(subset, "InstanceSelected.subset")
        try EventValidation.instanceID(instanceID, "InstanceSelected.instance_id")
        try EventValidation.count(position, "InstanceSelected.position")
    }
}
