import SmithJSON

/// One line `combine_trajs` read: its `instance_id` and where the caller keeps it (`Ref`), not its text.
public struct SFTCombineCandidate<Ref: Sendable>: Sendable {
    public var instanceId: String
    public var ref: Ref
}

/// Reads one input file of `combine_trajs` with the reference's error handling, piece by piece, so a caller
/// can stream a file it never holds whole (``SFTCombiner/plan(_:)``).
///
/// The reference reads all lines (`readlines()`, UTF-8, universal newlines) inside a `try` that catches any
/// exception and prints it: a decoding error loses the whole file, a bad line loses that line and every line
/// after it in the file. So the whole file is checked for UTF-8 before any line's problem is reported: a line
/// the reference would crash on (a non-string id) is only thrown by ``finish(warnings:)``.
public struct SFTCombineFileScan<Ref: Sendable>: Sendable {
    /// The path as the reference records it (`trajectories_sft/ft_xml_run1.jsonl`).
    public let path: String
    private var lines: [SFTCombineCandidate<Ref>] = []
    private var number = 0
    private var stopped: String?
    private var failure: SFTCombineError?
    private var invalidUTF8 = false

    public init(path: String) {
        self.path = path
    }

    /// Reads the next piece of the file: whole lines, ending with a line end unless it is the file's last piece
    /// (a `\r` ending one piece and a `\n` starting the next would count as two line ends). `ref` names a line
    /// by its byte range in `piece`.
    public mutating func read(_ piece: UnsafeRawBufferPointer, ref: (Range<Int>) -> Ref) {
        guard !invalidUTF8 else { return }
        // Lines end at a byte below 0x80, so a file is UTF-8 exactly when each of its pieces is.
        guard String(validating: piece, as: UTF8.self) != nil else {
            invalidUTF8 = true
            lines = []
            return
        }
        guard stopped == nil && failure == nil else { return }
        for range in JSONLinesReader.lineRanges(piece) {
            defer { number += 1 }
            let bytes = UnsafeRawBufferPointer(rebasing: piece[range])
            let id: JSONValue
            do {
                id = try Self.instanceId(in: bytes, isFirstLine: number == 0)
            } catch {
                stopped =
                    "Error reading \(path): line \(number + 1): \(error); the reference skips the rest of the file"
                return
            }
            guard case .string(let text) = id else {
                failure = SFTCombineError(
                    "\(path): line \(number + 1): instance_id is \(id.pyTypeName), not a string "
                        + "(the reference crashes on it)")
                return
            }
            if LoneSurrogates.present(in: bytes) {
                failure = SFTCombineError(
                    "\(path): line \(number + 1): holds an escaped lone surrogate, which the reference writes "
                        + "back but smithlog cannot")
                return
            }
            lines.append(SFTCombineCandidate(instanceId: text, ref: ref(range)))
        }
    }

    /// The file's lines the reference keeps; its warning, if any, appended to `warnings`.
    public consuming func finish(warnings: inout [String]) throws(SFTCombineError) -> [SFTCombineCandidate<Ref>] {
        if invalidUTF8 {
            warnings.append("Error reading \(path): not valid UTF-8; the reference skips the whole file")
            return []
        }
        if let failure { throw failure }
        if let stopped { warnings.append(stopped) }
        return lines
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
