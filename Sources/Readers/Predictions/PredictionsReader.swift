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
        let file = try FileBytes.read(path)
        defer { withExtendedLifetime(file) {} }
        if path.hasSuffix(".jsonl") { return try readLines(file.bytes, file: path) }
        let value = try JSONDocument.parse(file.bytes, file: path)
        if path.hasSuffix(".pred") { return [try prediction(value, key: nil, path: .root, file: path)] }
        return try predictions(in: value, file: path)
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

    private static func predictions(in value: JSONValue, file: String) throws(ReadError) -> [Prediction] {
        switch value {
        case .array(let items):
            var out: [Prediction] = []
            for (i, item) in items.enumerated() {
                out.append(try prediction(item, key: nil, path: JSONPath.root.index(i), file: file))
            }
            return out
        case .object(let pairs):
            // A lone prediction object (a `.pred` under another name) rather than a map of them.
            if pairs.contains(where: { $0.0 == "model_patch" }) {
                return [try prediction(value, key: nil, path: .root, file: file)]
            }
            var out: [Prediction] = []
            for (key, item) in pairs {
                out.append(try prediction(item, key: key, path: JSONPath.root.key(key), file: file))
            }
            return out
        default:
            throw ReadError(
                path: file, jsonPath: "$",
                message: "expected predictions (an object keyed by instance id, or a list), found "
                    + FoundDescription.of(value))
        }
    }

    private static func readLines(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) -> [Prediction] {
        var out: [Prediction] = []
        do {
            try JSONLines.forEachLine(bytes) { lineNumber, range in
                let value = try JSONDocument.parse(
                    UnsafeRawBufferPointer(rebasing: bytes[range]), file: file, line: lineNumber)
                do throws(ReadError) {
                    out.append(try prediction(value, key: nil, path: .root, file: file))
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
        if out.isEmpty { throw ReadError(path: file, message: "expected prediction lines, found only white space") }
        return out
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
