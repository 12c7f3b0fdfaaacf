internal import Yams

/// Implicit-typing rules matching the Python YAML loaders the tools use (Yams's defaults differ slightly:
/// they take `0o17` as an integer and `5e-5` as a float, PyYAML does neither).
enum YAMLResolvers {
    /// PyYAML's `SafeLoader` int rule (YAML 1.1: `0b`, leading-zero octal, `0x`, base 60; no `0o`).
    static let intPattern = """
        ^(?:[-+]?0b[0-1_]+\
        |[-+]?0[0-7_]+\
        |[-+]?(?:0|[1-9][0-9_]*)\
        |[-+]?0x[0-9a-fA-F_]+\
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$
        """

    /// PyYAML's `SafeLoader` float rule: a `.` is required (`5e-5` is a string).
    static let pyYAMLFloatPattern = """
        ^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?\
        |\\.[0-9_]+(?:[eE][-+][0-9]+)?\
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*\
        |[-+]?\\.(?:inf|Inf|INF)\
        |\\.(?:nan|NaN|NAN))$
        """

    /// OmegaConf's float rule (omegaconf/_utils.py `get_yaml_loader`): also `1e-5`, `1E5`, `-1e+5`.
    static let omegaConfFloatPattern = """
        ^(?:[-+]?(?:[0-9][0-9_]*)(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?\
        |\\.[0-9_]+(?:[eE][-+]?[0-9]+)?\
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*\
        |[-+]?\\.(?:inf|Inf|INF)\
        |\\.(?:nan|NaN|NAN))$
        """

    // The patterns are constants checked by the tests; a failure to compile them would be a programming error,
    // so falling back to Yams's defaults (never expected) keeps the readers from crashing.
    // `nonisolated(unsafe)`: Yams's `Resolver` is not marked Sendable, but it is immutable after init (its rules
    // are `let` regular expressions, which are safe to match from several threads), like Yams's own `.default`.
    nonisolated(unsafe) static let pyYAML: Resolver = make(float: pyYAMLFloatPattern)
    nonisolated(unsafe) static let omegaConf: Resolver = make(float: omegaConfFloatPattern)

    private static func make(float: String) -> Resolver {
        guard let withInt = try? Resolver.default.replacing(.int, with: intPattern),
            let withFloat = try? withInt.replacing(.float, with: float)
        else { return .default }
        return withFloat
    }
}
