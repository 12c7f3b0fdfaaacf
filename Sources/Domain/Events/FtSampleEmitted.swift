public import SmithStore

/// One line of an SFT dataset (the line's bytes are the blob), pinned to its `SftDatasetBuilt` by id.
///
/// Identity: every field.
public struct FtSampleEmitted: PipelineEvent {
    public static let eventType = EventType.ftSampleEmitted
    public static let schemaVersion = 1

    public var dataset: String
    /// Id of the `SftDatasetBuilt` this line belongs to.
    public var build: Digest
    public var position: Int
    /// The line's instance; "" for a line of an imported file (`sft import`) that names none.
    public var instanceID: String
    /// Id of the `TrajectoryProduced` it was made from (nil for lines read from a file).
    public var trajectory: Digest?
    public var line: Digest

    public init(dataset: String, build: Digest, position: Int, instanceID: String, trajectory: Digest?, line: Digest) {
        self.dataset = dataset
        self.build = build
        self.position = position
        self.instanceID = instanceID
        self.trajectory = trajectory
        self.line = line
    }

    public var stream: String { StreamName.sft(dataset) }
    public var blobs: [Digest] { [line] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("dataset", dataset)
        p.digest("build", build)
        p.int("position", position)
        p.string("instance_id", instanceID)
        p.digest("trajectory", trajectory)
        p.digest("line_sha256", line)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        dataset = try p.string("dataset")
        build = try p.digest("build")
        position = try p.int("position")
        instanceID = try p.string("instance_id")
        trajectory = try p.optionalDigest("trajectory")
        line = try p.digest("line_sha256")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) { encode(to: &p) }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(dataset, "FtSampleEmitted.dataset")
        // A line of an imported file (no trajectory) may name no instance: its instance_id is then "".
        if !(instanceID.isEmpty && trajectory == nil) {
            try EventValidation.instanceID(instanceID, "FtSampleEmitted.instance_id")
        }
        try EventValidation.count(position, "FtSampleEmitted.position")
    }
}
