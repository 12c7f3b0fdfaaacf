import SmithJSON

/// Reads one input file of `combine_trajs` with the reference's error handling.
///
/// The reference reads all lines (`readlines()`, UTF-8, universal newlines) inside a `try` that
/// catches any exception and prints it: a decoding error loses the whole file, a bad line loses
/// that line and every line after it in the file.
enum CombineInputReader {
    struct Line {
        var range: Range<Int>
        var instanceId: String
    }

    static func lines(of input: SFTCombiner.Input, warnings: inout [String]) throws(SFTCombineError) -> [Line] {
        guard String(validating: input.contents, as: UTF8.self) != nil else {
            warnings.append("Error reading \(input.path): not valid UTF-8; the reference skips the whole file")
            return []
        }
        return try input.contents.withUnsafeBytes { raw in
            Result { () throws(SFTCombineError) in try lines(of: raw, path: input.path, warnings: &warnings) }
        }.get()
    }

    private static func lines(
        of raw: UnsafeRawBufferPointer, path: String, warnings: inout [String]
    ) throws(SFTCombineError) -> [Line] {
        var out: [Line] = []
        for (number, range) in JSONLinesReader.lineRanges(raw).enumerated() {
            let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
            let id: JSONValue
            do {
                id = try instanceId(in: bytes, isFirstLine: number == 0)
            } catch {
                warnings.append(
                    "Error reading \(path): line \(number + 1): \(error); the reference skips the rest of the file")
                return out
            }
            guard case .string(let text) = id else {
                throw SFTCombineError(
                    "\(path): line \(number + 1): instance_id is \(id.pyTypeName), not a string "
                        + "(the reference crashes on it)")
            }
            if LoneSurrogates.present(in: bytes) {
                throw SFTCombineError(
                    "\(path): line \(number + 1): holds an escaped lone surrogate, which the reference writes "
                        + "back but smithlog cannot")
            }
            out.append(Line(range: range, instanceId: text))
        }
        return out
    }

    /// `json.loads(line)[KEY_INSTANCE_ID]`, validating the whole line.
    private static func instanceId(in bytes: UnsafeRawBufferPointer, isFirstLine: Bool) throws -> JSONValue {
        if isFirstLine, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw SFTCombineError("Unexpected UTF-8 BOM (decode using utf-8-sig)")
        }
        var reader = JSONReader(bytes)
        let kind = try reader.peekKind()
        var id: JSONValue?
        if kind == .object {
            try reader.readObject { key, reader in
                if key.utf8.elementsEqual("instance_id".utf8) { id = try reader.readValue() }
            }
        } else {
            try reader.skipValue()
        }
        try reader.finish()
        guard kind == .object else { throw SFTCombineError("a line must be a JSON object, found \(kind)") }
        guard let id else { throw SFTCombineError("KeyError: 'instance_id'") }
        switch id {
        case .array, .object: throw SFTCombineError("unhashable instance_id (\(id.pyTypeName))")
        default: return id
        }
    }
}
