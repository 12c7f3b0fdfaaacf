/// Help that ends with its examples, where a reader looks for a line to copy.
///
/// Each command writes its `Examples:` block (indented lines, each at most 76 characters so no terminal of 80
/// columns wraps one) at the end of its discussion; ArgumentParser prints the discussion before USAGE and the
/// options, so the block is moved to the end of the rendered help here.
enum HelpText {
    static func examplesLast(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "Examples:") else { return text }
        var end = start + 1
        // The block runs to the next blank line: an example that ArgumentParser wrapped continues at column 0,
        // and is moved with its block (where the help tests see that it did not fit).
        while end < lines.count, !lines[end].isEmpty { end += 1 }
        let block = Array(lines[start..<end])
        lines.removeSubrange(start..<end)
        // The blank lines around where the block was are now adjacent: keep one.
        if start > 0, start < lines.count, lines[start - 1].isEmpty, lines[start].isEmpty { lines.remove(at: start) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return (lines + [""] + block).joined(separator: "\n")
    }
}
