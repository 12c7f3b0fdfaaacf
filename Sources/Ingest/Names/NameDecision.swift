import SmithDomain
import SmithStore

/// What a recording command does with a name, decided from the log's own stream index before appending.
///
/// Same content as a recorded version: nothing is added for it (the command reports "already recorded as
/// X@N"). A new name, or `--new-version`: the next version. Other content under a recorded name without
/// `--new-version`: refused with one line naming the latest version and its hash. The decision is checked
/// again inside the append's write transaction through `claim` (see `LogAppend.appendClaimed`).
struct NameDecision<Head: PipelineEvent> {
    let kind: NamedKind
    let name: String
    /// Every recorded version of the name, oldest first.
    let versions: [NamedVersion<Head>]
    /// The version holding the same content; nil when the command records a new version.
    let existing: NamedVersion<Head>?

    /// Decides for `name`; `sameContent` says whether a version holds what the command would record, and
    /// `describe` how a refusal names a version's content (e.g. `export sha256 1a2b3c4d…`). `hint` is appended
    /// to a refusal (e.g. that the name was defaulted from a folder).
    init(
        _ kind: NamedKind, _ name: String, log: EventLog, newVersion: Bool,
        sameContent: (NamedVersion<Head>) throws -> Bool, describe: (NamedVersion<Head>) -> String,
        hint: String? = nil
    ) throws {
        self.kind = kind
        self.name = name
        versions = try log.versions(kind, name, as: Head.self)
        existing = try versions.last(where: sameContent)
        if existing == nil, let latest = versions.last, !newVersion {
            throw NameError(
                .taken,
                "\(kind.noun) '\(name)' exists as \(latest.label(name)) (\(describe(latest))) with other content; "
                    + "pass --new-version to record \(name)@\(versions.count + 1)" + (hint.map { "; " + $0 } ?? ""))
        }
    }

    /// The version recorded now (when `existing` is nil) or found.
    var version: Int { existing?.version ?? versions.count + 1 }

    /// `name@N` of `version`.
    var label: String { "\(name)@\(version)" }

    /// The check the append's write transaction runs: no other process recorded a version meanwhile.
    var claim: NameClaim { NameClaim(kind: kind, name: name, versionsSeen: versions.count) }
}

/// A SHA-256 as messages show it: the first 8 hex digits.
func shortHash(_ digest: Digest?) -> String {
    digest.map { String($0.hex.prefix(8)) + "…" } ?? "none"
}
