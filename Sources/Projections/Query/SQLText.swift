/// SQL text for the few queries built around names users type.
public enum SQLText {
    /// A string literal with single quotes doubled: `'it''s'`.
    public static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
