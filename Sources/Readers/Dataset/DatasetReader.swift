internal import SmithJSON

/// Reads SWE-smith and SWE-bench dataset files row by row: a JSON array of rows (`json.dump(rows)`, SWE-bench
/// exports, `logs/experiments/<subset>.json`), JSON Lines, or a single row object.
///
/// Rows are streamed: `forEachRow` hands out one `DatasetRow` at a time and keeps none, so a 50,000-row file
/// costs the memory of the file plus one row (over a `MappedFileBytes`, a window of the file plus one row). Each
/// row's `raw` bytes are its exact text in the file.
public enum DatasetReader {
    /// How the rows are stored.
    public enum Format: String, Sendable, Hashable {
        /// `[ {...}, {...} ]`.
        case jsonArray = "json-array"
        /// One object a line (`.jsonl`); lines holding only white space are skipped.
        case jsonLines = "jsonl"
        /// A single row object (`{...}`), e.g. one instance saved on its own.
        case singleObject = "json-object"
    }

    /// Calls `body` with each row, in file order.
    ///
    /// The format is `.jsonl` → JSON Lines; otherwise a leading `[` means a JSON array, and a leading `{` means a
    /// single row object unless more follows it, in which case the file is read as JSON Lines. Throws
    /// `ReadError` for unreadable files, invalid JSON (with the row's JSON path, e.g. `$[12].FAIL_TO_PASS`, and
    /// for JSON Lines the line), rows without a string `instance_id`, and typed fields of the wrong type.
    /// Errors thrown by `body` are rethrown unchanged and stop the reading.
    public static func forEachRow(atPath path: String, _ body: (DatasetRow) throws -> Void) throws {
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        try DatasetScanner(bytes: file.bytes, file: path).scan(body)
    }

    /// Streams the rows of a dataset already in memory (`file` names it in errors), with its format.
    ///
    /// For callers that also need the file's bytes (to hash them): the file is read once.
    public static func forEachRow(in bytes: [UInt8], file: String, _ body: (DatasetRow) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in try DatasetScanner(bytes: raw, file: file).scan(body) }
    }

    /// Streams the rows of a mapped dataset file, handing back its pages as the walk passes them, so the walk's
    /// memory stays flat however big the file is.
    ///
    /// Rows, their bytes and errors are those of `forEachRow(in:file:_:)` over the same bytes (errors name
    /// `file.path`). Once at least `window` bytes lie between the last release and the end of a finished row,
    /// `consumed` is called with those bytes and their pages are released (`MappedFileBytes.release`); when every
    /// row is read, it gets the rest of the file. So, when the walk completes, `consumed` has seen every byte of
    /// the file exactly once and in order (hash the file with it); a walk stopped by an error stops it too.
    /// `body` must not keep pointers into the file: copy what it needs (`raw` is already a copy).
    public static func forEachRow(
        in file: MappedFileBytes, window: Int = 8 << 20, consumed: (UnsafeRawBufferPointer) -> Void = { _ in },
        _ body: (DatasetRow) throws -> Void
    ) throws {
        try withExtendedLifetime(file) {
            let bytes = file.bytes
            var consumedTo = 0
            func hand(upTo end: Int) {
                consumed(UnsafeRawBufferPointer(rebasing: bytes[consumedTo..<end]))
                file.release(consumedTo..<end)
                consumedTo = end
            }
            try DatasetScanner(bytes: bytes, file: file.path).scan(body) { end in
                if end - consumedTo >= window { hand(upTo: end) }
            }
            hand(upTo: bytes.count)
        }
    }

    /// The format of a mapped dataset file, decided as `forEachRow` decides it (errors name `file.path`).
    public static func format(of file: MappedFileBytes) throws(ReadError) -> Format {
        try withExtendedLifetime(file) { () throws(ReadError) in
            try DatasetScanner(bytes: file.bytes, file: file.path).detectFormat()
        }
    }

    /// The format of a dataset already in memory.
    public static func format(of bytes: [UInt8], file: String) throws(ReadError) -> Format {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(ReadError) in try DatasetScanner(bytes: raw, file: file).detectFormat() }
        }.get()
    }

    /// All rows of the file at `path`; prefer `forEachRow` for large files.
    public static func readRows(atPath path: String) throws(ReadError) -> [DatasetRow] {
        var rows: [DatasetRow] = []
        do {
            try forEachRow(atPath: path) { rows.append($0) }
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(path: path, message: "\(error)")
        }
        return rows
    }

    /// The storage format of the file at `path`, decided as `forEachRow` decides it.
    public static func format(atPath path: String) throws(ReadError) -> Format {
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        return try DatasetScanner(bytes: file.bytes, file: path).detectFormat()
    }
}
