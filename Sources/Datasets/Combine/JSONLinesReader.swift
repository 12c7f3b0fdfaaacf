/// Splits a jsonl file into lines the way Python's text mode reads them: `\n`, `\r\n` and a lone
/// `\r` all end a line (universal newlines), and a last line without an end still counts.
enum JSONLinesReader {
    /// Byte ranges of the lines in `bytes`, without their line ends.
    static func lineRanges(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                ranges.append(start..<i)
                i += 1
                start = i
            } else if b == UInt8(ascii: "\r") {
                ranges.append(start..<i)
                i += (i + 1 < count && bytes[i + 1] == UInt8(ascii: "\n")) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        if start < count { ranges.append(start..<count) }
        return ranges
    }
}
