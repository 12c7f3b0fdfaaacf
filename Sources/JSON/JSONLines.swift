/// JSON Lines (`.jsonl`): one JSON value per line.
///
/// Lines are split on `\n`; a `\r` before it is dropped (CRLF files read the same); lines holding nothing
/// but whitespace are skipped. Line numbers are 1-based and count every line of the input, skipped ones too.
public enum JSONLines {
    /// Calls `body` with the line number and byte range (without the line break) of each non-blank line.
    public static func forEachLine(
        _ bytes: UnsafeRawBufferPointer, _ body: (_ lineNumber: Int, _ range: Range<Int>) throws -> Void
    ) rethrows {
        var lines = LineCursor(bytes: bytes)
        while let (number, range) = lines.next() { try body(number, range) }
    }

    /// Calls `body` with the line number and byte range (without the line break) of each non-blank line.
    public static func forEachLine(
        _ bytes: [UInt8], _ body: (_ lineNumber: Int, _ range: Range<Int>) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { raw in try forEachLine(raw, body) }
    }

    /// Parses every non-blank line. An error's `offset` counts from the start of `bytes` and its `line` is
    /// the line's number in the file.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> [JSONValue] {
        var values: [JSONValue] = []
        var lines = LineCursor(bytes: bytes)
        while let (number, range) = lines.next() {
            do {
                values.append(try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range])))
            } catch {
                var located = error
                located.offset += range.lowerBound
                located.line = number
                throw located
            }
        }
        return values
    }

    /// Parses every non-blank line; see ``parse(_:)-(UnsafeRawBufferPointer)``.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> [JSONValue] {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw) } }.get()
    }
}

/// Walks the non-blank lines of a buffer.
struct LineCursor {
    let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var lineNumber = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func next() -> (Int, Range<Int>)? {
        while position < bytes.count {
            lineNumber += 1
            let start = position
            var end = start
            var blank = true
            while end < bytes.count && bytes[end] != ASCII.newline {
                if blank && !ASCII.isWhitespace(bytes[end]) { blank = false }
                end += 1
            }
            position = end + 1
            if blank { continue }
            if end > start && bytes[end - 1] == ASCII.carriageReturn { end -= 1 }
            return (lineNumber, start..<end)
        }
        return nil
    }
}
