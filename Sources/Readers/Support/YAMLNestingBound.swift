/// A cheap upper bound on how deep a YAML text can nest, computed before the YAML parser runs.
///
/// The parser (libyaml under Yams) builds its tree recursively and overflows the stack on a few thousand levels,
/// so nesting must be refused before parsing. The bound counts, without tokenizing (a tokenizer that disagreed
/// with libyaml's on hostile input could be fooled):
///
/// - flow nesting: every `[` and `{` minus every `]` and `}` (never below zero), quoted text and comments
///   included; brackets in strings only raise the count, and a closing bracket is only real inside a flow
///   collection, so the count is never below libyaml's flow level. Each flow level may hold one implicit
///   single-pair mapping (`[a: [b: ...]]`), hence twice the count.
/// - block nesting: libyaml opens a block collection only at a column greater than the enclosing one, and on a
///   line's first token or the first token after a `- `, `? ` or `: ` indicator; so the block levels open on a
///   line are at most its indentation + 1 plus the number of such indicators on it. A sequence may share its
///   column with the mapping holding it, hence twice that.
///
/// Real files stay far below the limit (a config 20 levels deep is bounded by about 60); what it refuses that
/// libyaml would accept is text indented by hundreds of columns or lines holding hundreds of `: ` (e.g. a
/// JSON object of hundreds of keys written on one line), which no tool's YAML output looks like.
enum YAMLNestingBound {
    /// Throws when the bound for `text` exceeds `ReaderLimits.maximumDepth`, naming the line where it did.
    static func check(_ text: String, file: String) throws(ReadError) {
        var text = text
        text.makeContiguousUTF8()
        let line = text.utf8.withContiguousStorageIfAvailable { firstLineOverLimit(UnsafeRawBufferPointer($0)) }
        if let line = line ?? firstLineOverLimit(Array(text.utf8)) {
            throw ReadError(
                path: file,
                message: "expected YAML nested at most \(ReaderLimits.maximumDepth) levels deep, found deeper "
                    + "nesting by line \(line)")
        }
    }

    /// The 1-based line at which the bound first exceeds the limit, or nil when it never does.
    static func firstLineOverLimit(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { firstLineOverLimit($0) }
    }

    static func firstLineOverLimit(_ bytes: UnsafeRawBufferPointer, limit: Int = ReaderLimits.maximumDepth) -> Int? {
        var line = 1
        var flow = 0
        var deepestFlow = 0
        var deepestBlock = 0
        var atLineStart = true
        var lineBlock = 1  // indentation + 1 + indicators, for the current line
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let breakLength = lineBreakLength(bytes, at: i)
            if breakLength > 0 {
                line += 1
                atLineStart = true
                lineBlock = 1
                i += breakLength
                continue
            }
            if atLineStart && b == UInt8(ascii: " ") {
                lineBlock += 1
            } else {
                atLineStart = false
                switch b {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flow += 1
                    deepestFlow = max(deepestFlow, flow)
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flow = max(flow - 1, 0)
                case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                    if isBlankOrEnd(bytes, at: i + 1) { lineBlock += 1 }
                default:
                    break
                }
            }
            deepestBlock = max(deepestBlock, lineBlock)
            if 2 * deepestBlock + 2 * deepestFlow + 1 > limit { return line }
            i += 1
        }
        return nil
    }

    /// Length of the line break at `i` (libyaml's: LF, CR, CR LF, NEL, LS, PS), 0 when there is none.
    private static func lineBreakLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int {
        let b = bytes[i]
        if b == 0x0A { return 1 }
        if b == 0x0D { return i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1 }
        if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 { return 2 }
        if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
            return 3
        }
        return 0
    }

    /// A space, tab, line break or the end of the text at `i`: what makes `-`, `?` and `:` indicators.
    private static func isBlankOrEnd(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i < bytes.count else { return true }
        let b = bytes[i]
        return b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == 0 || lineBreakLength(bytes, at: i) > 0
    }
}
