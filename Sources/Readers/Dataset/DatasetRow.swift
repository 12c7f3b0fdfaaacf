/// One task instance of a SWE-smith or SWE-bench dataset file, with its exact bytes.
///
/// `raw` is the row's JSON exactly as it appears in the file (no re-serialisation), so a subset export can
/// write rows byte for byte. The other fields are lifted out for filtering; `nil` when the row lacks them.
public struct DatasetRow: Sendable, Hashable {
    /// 0-based position of the row in the file.
    public var index: Int
    /// 1-based line the row starts on (for JSONL, its line; for a JSON array, the line of its `{`).
    public var line: Int
    /// Byte range of the row's JSON value within the file.
    public var byteRange: Range<Int>
    /// The row's JSON text, byte for byte as in the file.
    public var raw: [UInt8]
    public var instanceId: String
    /// `repo`: `swesmith/<owner>__<repo>.<commit8>` for SWE-smith, `<owner>/<repo>` for SWE-bench.
    public var repo: String?
    /// Number of FAIL_TO_PASS tests; the list may be a JSON list or a JSON-encoded string of one (SWE-bench).
    public var failToPassCount: Int?
    public var passToPassCount: Int?
    /// `image_name` (SWE-smith rows name their Docker image).
    public var imageName: String?
    public var createdAt: String?
    /// The bug kind from the instance id (see `InstanceID.bugType`): `pr`, `lm_rewrite`, `func_pm_remove_assign`,
    /// `combine_file`, ..., or `swe-bench`.
    public var bugType: String
    /// The row has a key only a task instance has (`repo`, `patch`, `problem_statement`, `FAIL_TO_PASS`,
    /// `PASS_TO_PASS`, `base_commit`, `test_patch`, `image_name`): what tells a dataset row from other JSON
    /// that happens to carry an `instance_id`.
    public var hasTaskFields: Bool
    /// The row has a `messages` key: it is a chat (an SFT line), not a task instance.
    public var hasMessages: Bool

    public init(
        index: Int, line: Int, byteRange: Range<Int>, raw: [UInt8], instanceId: String, repo: String? = nil,
        failToPassCount: Int? = nil, passToPassCount: Int? = nil, imageName: String? = nil, createdAt: String? = nil,
        bugType: String, hasTaskFields: Bool = true, hasMessages: Bool = false
    ) {
        self.index = index
        self.line = line
        self.byteRange = byteRange
        self.raw = raw
        self.instanceId = instanceId
        self.repo = repo
        self.failToPassCount = failToPassCount
        self.passToPassCount = passToPassCount
        self.imageName = imageName
        self.createdAt = createdAt
        self.bugType = bugType
        self.hasTaskFields = hasTaskFields
        self.hasMessages = hasMessages
    }
}
