internal import SmithJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The work behind `DatasetReader`: format detection and the walk over rows.
struct DatasetScanner {
    let bytes: UnsafeRawBufferPointer
    let file: String

    func detectFormat() throws(ReadError) -> DatasetReader.Format {
        if file.hasSuffix(".jsonl") { return .jsonLines }
        var reader = JSONReader(bytes)
        let kind: JSONReader.Kind
        do {
            kind = try reader.peekKind()
        } catch {
            throw JSONDocument.readError(error, file: file)
        }
        switch kind {
        case .array: return .jsonArray
        case .object:
            // One object then the end: a single row. Anything after it: JSON Lines.
            do {
                try reader.skipValue()
                return reader.isAtEnd ? .singleObject : .jsonLines
            } catch {
                return .jsonLines  // let the line-by-line reading report the error with its line
            }
        default:
            throw ReadError(
                path: file, jsonPath: "$",
                message: "expected a dataset (a JSON array of rows, JSON Lines, or a row object), found \(kind)")
        }
    }

    /// Calls `body` with each row, then `finished` with an offset the walk will not read before again (the end
    /// of that row), so a caller can drop what lies before it. Only a parse error may look back (to count lines).
    func scan(_ body: (DatasetRow) throws -> Void, finished: (Int) throws -> Void = { _ in }) throws {
        switch try detectFormat() {
        case .jsonArray: try scanArray(body, finished: finished)
        case .singleObject: try scanSingle(body)
        case .jsonLines: try scanLines(body, finished: finished)
        }
    }

    private func scanArray(_ body: (DatasetRow) throws -> Void, finished: (Int) throws -> Void) throws {
        var line = 1
        var lineCountedTo = 0
        try JSONDocument.withReader(bytes, file: file) { reader in
            try reader.readArray { index, reader in
                // Track the line of each row start without rescanning from the top.
                line += LineCounter.countNewlines(bytes, lineCountedTo..<reader.offset)
                lineCountedTo = reader.offset
                let row = try DatasetRowReader.read(
                    &reader, in: bytes, index: index, line: line, path: JSONPath.root.index(index), file: file)
                // Count the row's own lines now, while its bytes are at hand: `finished` may drop them.
                line += LineCounter.countNewlines(bytes, lineCountedTo..<reader.offset)
                lineCountedTo = reader.offset
                try body(row)
                try finished(reader.offset)
            }
            try reader.finish()
        }
    }

    private func scanSingle(_ body: (DatasetRow) throws -> Void) throws {
        try JSONDocument.withReader(bytes, file: file) { reader in
            _ = try reader.peekKind()  // moves `offset` past leading white space, to the row's `{`
            let line = 1 + LineCounter.countNewlines(bytes, 0..<reader.offset)
            let row = try DatasetRowReader.read(&reader, in: bytes, index: 0, line: line, path: .root, file: file)
            try reader.finish()
            try body(row)
        }
    }

    private func scanLines(_ body: (DatasetRow) throws -> Void, finished: (Int) throws -> Void) throws {
        var index = 0
        try Self.forEachLine(bytes) { lineNumber, range in
            let lineBytes = UnsafeRawBufferPointer(rebasing: bytes[range])
            var row: DatasetRow
            do {
                row = try JSONDocument.withReader(
                    lineBytes, file: file, base: JSONPath.root.index(index), line: lineNumber
                ) { reader in
                    let row = try DatasetRowReader.read(
                        &reader, in: lineBytes, index: index, line: lineNumber, path: JSONPath.root.index(index),
                        file: file)
                    try reader.finish()
                    return row
                }
            } catch var error as ReadError {
                if !error.message.contains("line \(lineNumber)") { error.message += " (line \(lineNumber))" }
                throw error
            }
            row.byteRange =
                (row.byteRange.lowerBound + range.lowerBound)..<(row.byteRange.upperBound + range.lowerBound)
            try body(row)
            try finished(range.upperBound)
            index += 1
        }
        if index == 0 { throw ReadError(path: file, message: "expected dataset rows, found only white space") }
    }

    /// `JSONLines.forEachLine`'s lines (the same numbers and ranges, blank lines skipped, a trailing `\r` cut),
    /// found with `memchr`: a byte-at-a-time walk for the line ends was an eighth of a big import's CPU time.
    static func forEachLine(_ bytes: UnsafeRawBufferPointer, _ body: (Int, Range<Int>) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var position = 0
        var lineNumber = 0
        while position < count {
            lineNumber += 1
            let start = position
            var end = count
            if let hit = memchr(base + start, 0x0A, count - start) { end = base.distance(to: UnsafeRawPointer(hit)) }
            position = end + 1
            // Blank: nothing but white space (a row starts with `{`, so this stops at once on real rows).
            var first = start
            while first < end && Self.isWhitespace(bytes[first]) { first += 1 }
            if first == end { continue }
            try body(lineNumber, start..<(bytes[end - 1] == 0x0D ? end - 1 : end))
        }
    }

    private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}
