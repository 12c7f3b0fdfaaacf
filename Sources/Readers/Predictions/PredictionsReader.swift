internal import SmithJSON

/// Reads model predictions in the forms the tools write them.
///
/// - `preds.json` (SWE-agent 1.x, SWE-smith): an object keyed by instance id, each value
///   `{instance_id, model_name_or_path, model_patch}`. sb-cli also accepts a list of such objects; so does this.
/// - `all_preds.jsonl` (SWE-agent before 1.0) and other `.jsonl`: one prediction object a line.
/// - `<instance>.pred` (one per instance; SWE-agent 1.x writes them into the instance folders and merges them
///   into `preds.json` when the run ends): a single prediction object.
///
/// `model_name_or_path` and `model_patch` are required (`model_patch` may be `null`); `instance_id` may be left
/// out in the keyed form, where the key names the instance, but must match the key when present.
public enum PredictionsReader {
    /// Reads the predictions file at `path`, in file order; the form is chosen by the file name (`.jsonl`,
    /// `.pred`) or, for other names, by the content.
    public static func read(atPath path: String) throws(ReadError) -> [Prediction] {
        var out: [Prediction] = []
        try forEach(atPath: path) { out.append($0) }
        return out
    }

    /// Reads the predictions file at `path` as ``read(atPath:)`` does, handing each prediction to `body` as soon as
    /// it is read instead of returning them all.
    ///
    /// For callers that keep a little of each (a hash of its patch): `preds.json` holds every patch of a run
    /// (3.5 MB for 2,600 instances), and parsed whole its tree took as much again. The errors are
    /// ``read(atPath:)``'s. A keyed file's syntax is checked whole before its first prediction is handed over; a
    /// list's (or a `.jsonl`'s) are handed over as they are read, so on an error `body` may have had some.
    public static func forEach(atPath path: String, _ body: (Prediction) -> Void) throws(ReadError) {
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        if path.hasSuffix(".jsonl") { return try readLines(file.bytes, file: path, body) }
        let lone = path.hasSuffix(".pred") ? true : try isLonePrediction(file.bytes, file: path)
        if lone {
            let value = try JSONDocument.parse(file.bytes, file: path)
            return body(try prediction(value, key: nil, path: .root, file: path))
        }
        try JSONDocument.withReaderTyped(file.bytes, file: path) { reader in
            switch try reader.peekKind() {
            case .array:
                try reader.readArray { i, element in
                    let item = try element.readValue()
                    try JSONDocument.requireDepth(item, file: path, at: JSONPath.root.index(i), depth: 1)
                    body(try prediction(item, key: nil, path: JSONPath.root.index(i), file: path))
                }
            case .object:
                try reader.readObject { key, value in
                    let item = try value.readValue()
                    try JSONDocument.requireDepth(item, file: path, at: JSONPath.root.key(key), depth: 1)
                    body(try prediction(item, key: key, path: JSONPath.root.key(key), file: path))
                }
            default:
                let value = try reader.readValue()
                try reader.finish()
                throw ReadError(
                    path: path, jsonPath: "$",
                    message: "expected predictions (an object keyed by instance id, or a list), found "
                        + FoundDescription.of(value))
            }
            try reader.finish()
        }
    }

    /// Whether `bytes` hold one prediction object (a `.pred` under another name) rather than a map of them: an
    /// object with a `model_patch` key. Its keys are scanned without building any value.
    private static func isLonePrediction(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) -> Bool {
        try JSONDocument.withReaderTyped(bytes, file: file) { reader in
            guard try reader.peekKind() == .object else { return false }
            var found = false
            try reader.readObject { key, value in
                if key == "model_patch" { found = true }
                try value.skipValue()
            }
            return found
        }
    }

    /// Reads every `*.pred` file directly in `folder` and in its instance sub-folders, sorted by instance id.
    /// Files that cannot be read are returned as errors next to the predictions that could.
    public static func readPredFiles(
        inFolder folder: String
    ) throws(ReadError) -> (predictions: [Prediction], errors: [ReadError]) {
        let names = try FileSystem.requireNonEmptyFolder(folder)
        var paths: [String] = []
        for name in names {
            let child = FileSystem.join(folder, name)
            if name.hasSuffix(".pred") && FileSystem.isFileOrSpecial(child) {
                paths.append(child)
            } else if FileSystem.isFolder(child) {
                let nested = FileSystem.join(child, name + ".pred")
                if FileSystem.isFileOrSpecial(nested) { paths.append(nested) }
            }
        }
        var predictions: [Prediction] = []
        var errors: [ReadError] = []
        for path in paths {
            do throws(ReadError) {
                predictions += try read(atPath: path)
            } catch {
                errors.append(error)
            }
        }
        predictions.sort { $0.instanceId.utf8.lexicographicallyPrecedes($1.instanceId.utf8) }
        return (predictions, errors)
    }

    private static func readLines(
        _ bytes: UnsafeRawBufferPointer, file: String, _ body: (Prediction) -> Void
    ) throws(ReadError) {
        var any = false
        do {
            try JSONLines.forEachLine(bytes) { lineNumber, range in
                let value = try JSONDocument.parse(
                    UnsafeRawBufferPointer(rebasing: bytes[range]), file: file, line: lineNumber)
                do throws(ReadError) {
                    body(try prediction(value, key: nil, path: .root, file: file))
                    any = true
                } catch {
                    var withLine = error
                    withLine.message += " (line \(lineNumber))"
                    throw withLine
                }
            }
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(path: file, message: "\(error)")
        }
        if !any { throw ReadError(path: file, message: "expected prediction lines, found only white space") }
    }

    static func prediction(
        _ value: JSONValue, key: String?, path: JSONPath, file: String
    ) throws(ReadError) -> Prediction {
        let fields = try ObjectFields(value, path: path, file: file, what: "a prediction (an object)")
        let instanceId: String
        if let key {
            instanceId = try fields.optionalString("instance_id") ?? key
            if instanceId != key {
                throw fields.error(
                    "instance_id",
                    "expected the instance id of its key \(FoundDescription.quoted(key)), found "
                        + FoundDescription.quoted(instanceId))
            }
        } else {
            instanceId = try fields.string("instance_id")
        }
        let model = try fields.string("model_name_or_path")
        _ = try fields.required("model_patch", expected: "a patch string or null")
        return Prediction(
            instanceId: instanceId, modelNameOrPath: model, modelPatch: try fields.optionalString("model_patch"))
    }
}
