/// Shortens text quoted into error lines by cutting out its middle, so every error stays one readable line.
enum Elision {
    /// `text` if it has at most `limit` characters, else its start and end around `…`, `limit` characters in
    /// all; `head` characters of the start are kept (half by default; file paths keep more of their end, where
    /// the file's own name is).
    static func middle(_ text: String, limit: Int, head: Int? = nil) -> String {
        guard text.count > limit else { return text }
        let keep = max(limit - 1, 2)
        let start = min(head ?? (keep + 1) / 2, keep - 1)
        return String(text.prefix(start)) + "…" + String(text.suffix(keep - start))
    }
}
