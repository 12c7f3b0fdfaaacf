import SmithJSON

/// The messages an SFT line is made of: SWE-smith's `get_messages`.
///
/// A last step with `messages` (SWE-agent before 1.1.0: the history after the step) gives all of
/// them but the last; otherwise its `query` (1.1.0 and later: the input of the step) whole. From
/// swesmith 0.0.9 on, a last step that exited on cost or context window gives the `query` of the
/// step before it.
struct MessageSelection {
    /// Normally a list; Python slices a string just as well, and the renderers decide what that means.
    var value: JSONValue
    /// Where `value` came from, for error messages: `$.trajectory[-1].query`.
    var path: String
    /// The step it came from escapes a lone surrogate, so a U+FFFD in the output may stand for one.
    var mayHoldLoneSurrogate: Bool

    static let exitResponses = ["Exit due to cost limit", "Exit due to context window"]

    init(tail: TrajectoryTail, exitRule: Bool) throws(SFTError) {
        let last = tail.last
        let lastPath = "$.trajectory[-1]"
        guard case .object = last else {
            throw SFTError(.wrongType, at: lastPath, "a step must be an object, found \(last.pyTypeName)")
        }
        if let messages = last.pyValue("messages") {
            self.value = try Self.slice(messages, dropLast: true, path: lastPath + ".messages")
            self.path = lastPath + ".messages"
            self.mayHoldLoneSurrogate = tail.lastHasLoneSurrogate
            return
        }
        if exitRule {
            guard let response = last.pyValue("response") else {
                throw SFTError(.missingKey, at: lastPath, "the last step has no 'messages' and no 'response'")
            }
            if Self.exitResponses.contains(where: { response.pyEquals($0) }) {
                let previousPath = "$.trajectory[-2]"
                guard tail.hasPrevious else {
                    throw SFTError(
                        .noSteps, at: previousPath,
                        "the only step exited ('\(response.stringValue ?? "")') and there is no step before it")
                }
                let step = try tail.previous()
                let previous = step.value
                guard case .object = previous else {
                    throw SFTError(
                        .wrongType, at: previousPath, "a step must be an object, found \(previous.pyTypeName)")
                }
                guard let query = previous.pyValue("query") else {
                    throw SFTError(.missingKey, at: previousPath, "the step before an exit has no 'query'")
                }
                self.value = try Self.slice(query, dropLast: false, path: previousPath + ".query")
                self.path = previousPath + ".query"
                self.mayHoldLoneSurrogate = step.hasLoneSurrogate
                return
            }
        }
        guard let query = last.pyValue("query") else {
            throw SFTError(.missingKey, at: lastPath, "the last step has neither 'messages' nor 'query'")
        }
        self.value = try Self.slice(query, dropLast: false, path: lastPath + ".query")
        self.path = lastPath + ".query"
        self.mayHoldLoneSurrogate = tail.lastHasLoneSurrogate
    }

    /// Python's `value[:-1]` or `value[:]`.
    private static func slice(_ value: JSONValue, dropLast: Bool, path: String) throws(SFTError) -> JSONValue {
        switch value {
        case .array(let items):
            return dropLast ? .array(Array(items.dropLast())) : value
        case .string(let s):
            return dropLast ? .string(String(String.UnicodeScalarView(s.unicodeScalars.dropLast()))) : value
        default:
            throw SFTError(.wrongType, at: path, "expected a list of messages, found \(value.pyTypeName)")
        }
    }
}
