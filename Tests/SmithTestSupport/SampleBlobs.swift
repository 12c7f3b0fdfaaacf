public import SmithStore

/// The artifacts `SampleEvents` refer to: small fixed texts, so a sample event's blobs can be stored with it.
public enum SampleBlobs {
    public static let row = Array(#"{"instance_id": "pkg__repo.1234abcd.pr_17", "repo": "pkg/repo"}"#.utf8)
    public static let config = Array("agent:\n  model:\n    name: claude-3-7-sonnet-20250219\n".utf8)
    public static let trajectory = Array(#"{"trajectory": [], "info": {"exit_status": "submitted"}}"#.utf8)
    public static let submission = Array("diff --git a/x.py b/x.py\n".utf8)
    public static let summary = Array(#"{"resolved_ids": ["pkg__repo.1234abcd.pr_17"]}"#.utf8)
    public static let report = Array(#"{"pkg__repo.1234abcd.pr_17": {"resolved": true}}"#.utf8)
    public static let ids = Array(#"{"resolved": ["pkg__repo.1234abcd.pr_17"]}"#.utf8)
    public static let systemPrompt = Array("You are a helpful assistant.\n".utf8)
    public static let line = Array(#"{"messages": [{"role": "user", "content": "fix it"}]}"#.utf8)
    public static let metadata = Array(#"{"seed": 42}"#.utf8)
    public static let checkpointConfig = Array("model:\n  _component_: torchtune.models.qwen2_5\n".utf8)
    public static let export = Array("\(String(decoding: line, as: UTF8.self))\n".utf8)
    public static let datasetFile = Array("[\(String(decoding: row, as: UTF8.self))]".utf8)
    public static let trainingLog = Array(
        "Step 1 | loss:0.9 lr:1e-05 \nStep 2 | loss:0.8 lr:2e-05 \nStep 2 | val_loss:0.85\n".utf8)
    public static let preferenceData = Array(#"{"chosen": "yes", "rejected": "no"}"#.utf8)
    /// A subset's members blob (`SubsetMembersFile`): one instance id per line.
    public static let members = Array("pkg__repo.1234abcd.pr_17\n".utf8)

    /// Every sample artifact.
    public static let all: [[UInt8]] = [
        row, config, trajectory, submission, summary, report, ids, systemPrompt, line, metadata, checkpointConfig,
        export, datasetFile, trainingLog, members,
    ]

    private static let byDigest: [Digest: [UInt8]] = Dictionary(
        all.map { (Digest.sha256($0), $0) }, uniquingKeysWith: { a, _ in a })

    /// SHA-256 of `bytes`, the blob's address.
    public static func digest(_ bytes: [UInt8]) -> Digest { Digest.sha256(bytes) }

    /// The bytes of a sample artifact, nil for any other digest.
    public static func bytes(of digest: Digest) -> [UInt8]? { byDigest[digest] }
}
