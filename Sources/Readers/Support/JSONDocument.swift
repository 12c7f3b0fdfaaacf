internal import SmithJSON

/// The readers' bridge to SmithJSON: whole-document parses and pull-reader sessions whose errors come out as
/// `ReadError`s naming the file and the JSON path.
enum JSONDocument {
    /// `error` seen from `base` (the path of the value the reader started at) in `file`.
    static func readError(
        _ error: JSONParseError, file: String, base: JSONPath = .root, line: Int? = nil
    ) -> ReadError {
        if isDepthError(error) {
            return ReadError(
                path: file, jsonPath: base.appending(relative: error.path).text, message: ReaderLimits.tooDeepMessage)
        }
        let position =
            line.map { "line \($0) of the file, column \(error.column)" }
            ?? "line \(error.line), column \(error.column)"
        return ReadError(
            path: file, jsonPath: base.appending(relative: error.path).text,
            message: "invalid JSON: \(error.message) at \(position)")
    }

    /// Runs `body` with a reader over `bytes`, turning any parse error into a `ReadError`. `ReadError`s thrown by
    /// `body` pass through; any other error (a caller's callback) is rethrown as it is.
    static func withReader<R>(
        _ bytes: UnsafeRawBufferPointer, file: String, base: @autoclosure () -> JSONPath = .root, line: Int? = nil,
        _ body: (inout JSONReader) throws -> R
    ) throws -> R {
        var reader = JSONReader(bytes)
        do {
            return try body(&reader)
        } catch let error as JSONParseError {
            throw readError(error, file: file, base: base(), line: line)
        }
    }

    /// Like `withReader`, for bodies that throw nothing but parse errors and `ReadError`s.
    static func withReaderTyped<R>(
        _ bytes: UnsafeRawBufferPointer, file: String, base: @autoclosure () -> JSONPath = .root, line: Int? = nil,
        _ body: (inout JSONReader) throws -> R
    ) throws(ReadError) -> R {
        do {
            return try withReader(bytes, file: file, base: base(), line: line, body)
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(path: file, jsonPath: base().text, message: "\(error)")
        }
    }

    /// Parses `bytes` as one JSON document (nothing but white space may follow the value).
    static func parse(
        _ bytes: UnsafeRawBufferPointer, file: String, base: JSONPath = .root, line: Int? = nil
    ) throws(ReadError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw readError(error, file: file, base: base, line: line)
        }
        try requireDepth(value, file: file, at: base)
        return value
    }

    /// Parses the text of a string value that itself holds JSON (`replay_config`, SWE-bench's test lists).
    static func parseEmbedded(
        _ text: String, file: String, at path: JSONPath, what: String
    ) throws(ReadError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            if isDepthError(error) { throw readError(error, file: file, base: path) }
            throw ReadError(
                path: file, jsonPath: path.text,
                message: "expected \(what) (JSON in a string), found a string that is not JSON: \(error.message) "
                    + "at line \(error.line), column \(error.column) of the string")
        }
        try requireDepth(value, file: file, at: path)
        return value
    }

    /// Refuses `value` (found at `path` of `file`) when it nests deeper than `ReaderLimits.maximumDepth`, naming
    /// the first array or object too deep. Every value a reader builds from JSON passes through here, so it can
    /// be embedded in an event payload and still be read back.
    ///
    /// `depth`: how deep `value` itself lies in its document (an element of a top-level list read alone is at 1).
    static func requireDepth(
        _ value: JSONValue, file: String, at path: JSONPath = .root, depth: Int = 0
    ) throws(ReadError) {
        guard let steps = firstTooDeep(value, depth: depth) else { return }
        var place = path
        for step in steps.reversed() {
            switch step {
            case .key(let key): place = place.key(key)
            case .index(let i): place = place.index(i)
            }
        }
        throw ReadError(path: file, jsonPath: place.text, message: ReaderLimits.tooDeepMessage)
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    /// The steps (innermost first) to the first container at depth `maximumDepth` below `value`; recursion is
    /// bounded by the limit, and paths are only built for the one value reported.
    private static func firstTooDeep(_ value: JSONValue, depth: Int) -> [Step]? {
        switch value {
        case .array(let items):
            if depth == ReaderLimits.maximumDepth { return [] }
            for (i, item) in items.enumerated() {
                if var steps = firstTooDeep(item, depth: depth + 1) {
                    steps.append(.index(i))
                    return steps
                }
            }
        case .object(let pairs):
            if depth == ReaderLimits.maximumDepth { return [] }
            for (key, item) in pairs {
                if var steps = firstTooDeep(item, depth: depth + 1) {
                    steps.append(.key(key))
                    return steps
                }
            }
        default:
            break
        }
        return nil
    }

    /// The JSON parser's own depth refusal (at `JSONReader.maximumDepth`, deeper than the readers' limit).
    private static func isDepthError(_ error: JSONParseError) -> Bool {
        error.message.hasPrefix("nesting deeper than")
    }

    /// Reads and parses the JSON file at `path`.
    static func readFile(_ path: String) throws(ReadError) -> JSONValue {
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        return try parse(file.bytes, file: path)
    }
}

extension JSONReader {
    /// Reads the next value and checks it is a string (or `null` when `allowNull`), throwing a `ReadError`
    /// that quotes what was found. `path` is the value's full path, since `ReadError`s are not re-prefixed;
    /// it is only built when there is an error (rows are read by the ten thousand).
    mutating func readString(at path: @autoclosure () -> JSONPath, file: String, allowNull: Bool) throws -> String? {
        let kind = try peekKind()
        if kind == .string { return try readString() }
        let value = try readValue()
        if allowNull && value.isNull { return nil }
        throw ReadError(
            path: file, jsonPath: path().text,
            message: "expected \(allowNull ? "a string or null" : "a string"), found \(FoundDescription.of(value))")
    }

    /// Throws a `ReadError` unless the next value is of `kind`; reads a scalar to quote it in the message.
    mutating func expect(
        _ kind: JSONReader.Kind, _ what: @autoclosure () -> String, at path: @autoclosure () -> JSONPath, file: String
    ) throws {
        let found = try peekKind()
        guard found != kind else { return }
        let description: String
        switch found {
        case .object: description = "an object"
        case .array: description = "an array"
        default: description = FoundDescription.of(try readValue())
        }
        throw ReadError(path: file, jsonPath: path().text, message: "expected \(what()), found \(description)")
    }
}
