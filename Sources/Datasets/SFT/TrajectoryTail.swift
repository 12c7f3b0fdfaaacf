import SmithJSON

/// The end of a trajectory's `trajectory` list: all that SFT message selection reads.
///
/// The bytes path parses only these steps out of a .traj; the step before the last is parsed on
/// demand because only swesmith 0.0.9's exit rule reads it.
struct TrajectoryTail {
    /// Whether there is a step before the last.
    var hasPrevious: Bool
    /// `trajectory[-1]`.
    var last: JSONValue
    /// `trajectory[-2]`; only called when `hasPrevious`.
    var previous: () throws(SFTError) -> Step
    /// Whether the last step's source text escapes a lone surrogate, decoded as U+FFFD.
    var lastHasLoneSurrogate = false

    /// A parsed step and whether its source escapes a lone surrogate.
    struct Step {
        var value: JSONValue
        var hasLoneSurrogate = false
    }

    /// The tail of an already parsed trajectory document (what `json.load` of a .traj gives).
    init(document: JSONValue) throws(SFTError) {
        guard case .object = document else {
            throw SFTError(.wrongType, at: "$", "a trajectory must be a JSON object, found \(document.pyTypeName)")
        }
        guard let steps = document.pyValue("trajectory") else {
            throw SFTError(.missingKey, at: "$", "no 'trajectory' key (not a SWE-agent trajectory with steps)")
        }
        try self.init(steps: steps)
    }

    init(steps: JSONValue) throws(SFTError) {
        guard case .array(let list) = steps else {
            throw SFTError(.wrongType, at: "$.trajectory", "expected a list of steps, found \(steps.pyTypeName)")
        }
        guard let last = list.last else { throw SFTError(.noSteps, at: "$.trajectory", "the trajectory has no steps") }
        self.init(hasPrevious: list.count >= 2, last: last, previous: { Step(value: list[list.count - 2]) })
    }

    init(
        hasPrevious: Bool, last: JSONValue, lastHasLoneSurrogate: Bool = false,
        previous: @escaping () throws(SFTError) -> Step
    ) {
        self.hasPrevious = hasPrevious
        self.last = last
        self.lastHasLoneSurrogate = lastHasLoneSurrogate
        self.previous = previous
    }
}
