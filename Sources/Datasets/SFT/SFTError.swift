/// Why a trajectory cannot become an SFT line: the reference tool would raise on it.
///
/// One error covers one trajectory; `description` is a single line naming the place in the
/// trajectory (`messages[4].tool_calls[0]`) and what was wrong, so a batch export can report
/// it per instance and go on.
public struct SFTError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The kind of failure, for callers that count or filter them.
    public enum Kind: String, Sendable, Hashable {
        /// The .traj file could not be read.
        case unreadable
        /// The bytes are not JSON as Python's `json.loads` reads it.
        case invalidJSON
        /// `trajectory` is an empty list (or the exit rule needs a step before a lone last step).
        case noSteps
        /// A key the reference reads is absent (e.g. `query`, `role`, `thought`).
        case missingKey
        /// A value has a JSON type the reference cannot use there.
        case wrongType
        /// An assistant message without `tool_calls` where the version requires them.
        case missingToolCalls
        /// A tool call's `arguments` string is not JSON, or not a JSON object.
        case invalidArguments
        /// A message whose content should be a one-part list has another number of parts.
        case notOnePart
        /// The line would carry an escaped lone surrogate (`\ud800`): Python writes it back, a Swift
        /// `String` cannot hold it.
        case loneSurrogate
    }

    public var kind: Kind
    /// Where in the trajectory, e.g. `$.trajectory[-1].query[3].content`.
    public var path: String
    /// What was wrong, in words.
    public var message: String

    public init(_ kind: Kind, at path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// `$.trajectory[-1].query[3].content: expected a one-part list, found 2 parts`.
    public var description: String { "\(path): \(message)" }
}
