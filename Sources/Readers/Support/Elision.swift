/// Shortens text quoted into error lines by cutting out its middle, so every error stays one readable line.
enum Elision {
    /// `text` if it has at most `limit` characters, else its start and end around `…`, `limit` characters in all.
    static func middle(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        let keep = max(limit - 1, 2)
        let head = (keep + 1) / 2
        return String(text.prefix(head)) + "…" + String(text.suffix(keep - head))
    }
}
