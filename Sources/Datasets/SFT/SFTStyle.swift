/// How an SFT dataset renders a trajectory's messages.
///
/// `xml` writes tool calls as `<function=NAME><parameter=K>V</parameter></function>` text (the
/// SWE-agent-LM format), `ticks` as a fenced block after the thought, `tool` keeps the
/// OpenAI-style messages as they are; `mini` is a mini-swe-agent trajectory's chat as its model saw it.
public enum SFTStyle: String, Sendable, CaseIterable {
    case xml
    case ticks
    case tool
    case mini
}

/// The exact reference code an SFT line reproduces: a style plus the revision of SWE-smith's
/// `swesmith/train/traj_mgr/utils.py` that defines it.
///
/// `v1` is the SWE-smith repository before swesmith 0.0.9 (it made the published
/// `ft_xml_*.jsonl`); `v2` is swesmith 0.0.9 on PyPI. They differ in two ways:
/// - v2's message selection takes the step before the last when the last step's `response` is
///   "Exit due to cost limit" or "Exit due to context window" (and so needs a `response` key in
///   a last step that has no `messages`);
/// - xml-v2 takes `thought` falling back to `content`, appends the calls only when the message
///   has a `tool_calls` key, and strips Python white space; xml-v1 needs both keys.
/// `tool` exists only in v2. `mini-v1` reads mini-swe-agent trajectories, not SWE-agent ones: it has no
/// reference in SWE-smith and is defined by tools/golden/mini_sft.py (see ``MiniTransform``). The raw value
/// is what a dataset records.
public enum SFTTransformVersion: String, Sendable, CaseIterable {
    case xmlV1 = "xml-v1"
    case xmlV2 = "xml-v2"
    case ticksV1 = "ticks-v1"
    case ticksV2 = "ticks-v2"
    case toolV2 = "tool-v2"
    case miniV1 = "mini-v1"

    /// The style this version renders.
    public var style: SFTStyle {
        switch self {
        case .xmlV1, .xmlV2: return .xml
        case .ticksV1, .ticksV2: return .ticks
        case .toolV2: return .tool
        case .miniV1: return .mini
        }
    }

    /// The version a new dataset of `style` gets: swesmith 0.0.9's, the one on PyPI.
    public static func current(for style: SFTStyle) -> SFTTransformVersion {
        switch style {
        case .xml: return .xmlV2
        case .ticks: return .ticksV2
        case .tool: return .toolV2
        case .mini: return .miniV1
        }
    }

    /// Whether message selection applies swesmith 0.0.9's cost/context-exit rule.
    var usesExitRule: Bool {
        switch self {
        case .xmlV1, .ticksV1, .miniV1: return false
        case .xmlV2, .ticksV2, .toolV2: return true
        }
    }
}
