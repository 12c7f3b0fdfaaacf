/// SQL text helpers for the few queries built around a user's condition.
enum SQLText {
    /// A string literal: `'it''s'`.
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
