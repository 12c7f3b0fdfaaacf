import SmithJSON

/// Reads one step of a .traj from its bytes, materialising only what message selection uses.
///
/// A step also holds the observation, thought, state and more; only `messages`, `query` and
/// `response` are kept (the last of repeated keys, as Python's dict keeps them). The rest is
/// validated and skipped.
enum StepReader {
    static func read(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String
    ) throws(SFTError)
        -> TrajectoryTail.Step
    {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        var messages: (JSONValue, Range<Int>)?
        var query: (JSONValue, Range<Int>)?
        var response: JSONValue?
        do {
            var reader = JSONReader(raw)
            guard try reader.peekKind() == .object else {
                return TrajectoryTail.Step(value: try reader.readValue(), hasLoneSurrogate: false)
            }
            try reader.readObject { key, reader in
                // The body starts at the value, so the offsets around the read give its bytes.
                let start = reader.offset
                if key.utf8.elementsEqual("messages".utf8) {
                    messages = (try reader.readValue(), start..<reader.offset)
                } else if key.utf8.elementsEqual("query".utf8) {
                    query = (try reader.readValue(), start..<reader.offset)
                } else if key.utf8.elementsEqual("response".utf8) {
                    response = try reader.readValue()
                }
            }
            try reader.finish()
        } catch {
            throw SFTError(.invalidJSON, at: path, "not valid JSON: \(error)")
        }
        var pairs: [(String, JSONValue)] = []
        var hasLoneSurrogate = false
        // Selection reads `messages` when present and `query` only otherwise.
        if let (value, kept) = messages ?? query {
            hasLoneSurrogate = LoneSurrogates.present(in: UnsafeRawBufferPointer(rebasing: raw[kept]))
            pairs.append((messages != nil ? "messages" : "query", value))
        }
        if let response { pairs.append(("response", response)) }
        return TrajectoryTail.Step(value: .object(pairs), hasLoneSurrogate: hasLoneSurrogate)
    }

    static func parse(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String
    ) throws(SFTError) -> JSONValue {
        try parse(UnsafeRawBufferPointer(rebasing: bytes[range]), path: path)
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, path: String) throws(SFTError) -> JSONValue {
        do {
            return try JSONParser.parse(raw)
        } catch {
            throw SFTError(.invalidJSON, at: path, "not valid JSON: \(error)")
        }
    }
}
