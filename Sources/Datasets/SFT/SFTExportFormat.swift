public import SmithJSON
import SmithStore

/// The files an SFT dataset can be exported as, besides its own lines.
///
/// - `ft`: the dataset's lines as recorded (`transform_to_ft`'s file; the default).
/// - `collect`: swesmith 0.0.9's `collect_trajs` file: each line's object with `resolved`, `model` (when the
///   trajectory has a `replay_config`), `traj_id` and `patch` set after its keys, as that script does.
/// - `list`: the SWE-smith repository's `transform_to_ft_list` file: each line's object without `instance_id`.
public enum SFTExportFormat: String, Sendable, CaseIterable {
    case ft
    case collect
    case list
}

/// Builds `collect` and `list` lines from recorded lines, the way SWE-smith's scripts would have written them.
///
/// Each takes a line (`json.dumps(obj) + "\n"`), reads it as `json.loads` does, changes the dict as the script
/// does (Python's `d[k] = v` keeps an existing key's place) and writes `json.dumps(obj) + "\n"` again, so a
/// line written by `json.dumps` comes out with its own bytes where nothing changed.
public enum SFTExportLine {
    /// `transform_to_ft_list`'s line: the object without `instance_id`.
    public static func list(from line: [UInt8]) throws(SFTError) -> [UInt8] {
        var pairs = try object(line)
        pairs.removeAll { $0.0 == "instance_id" }
        return dumpLine(pairs)
    }

    /// `collect_trajs`'s line: `resolved`, then `model` when given, `traj_id` and `patch`, set on the object.
    public static func collect(
        from line: [UInt8], resolved: Bool, model: JSONValue?, trajID: String, patch: String
    ) throws(SFTError) -> [UInt8] {
        var pairs = try object(line)
        set(&pairs, "resolved", .bool(resolved))
        if let model { set(&pairs, "model", model) }
        set(&pairs, "traj_id", .string(trajID))
        set(&pairs, "patch", .string(patch))
        return dumpLine(pairs)
    }

    private static func object(_ line: [UInt8]) throws(SFTError) -> [(String, JSONValue)] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw SFTError(.invalidJSON, at: "$", "the line is not valid JSON: \(error)")
        }
        // An escaped lone surrogate would come back as U+FFFD: refused rather than written differently.
        if LoneSurrogates.present(in: line) {
            throw SFTError(.loneSurrogate, at: "$", "the line holds an escaped lone surrogate")
        }
        guard case .object(let pairs) = value.pyCollapsed() else {
            throw SFTError(.wrongType, at: "$", "the line is not a JSON object")
        }
        return pairs
    }

    private static func set(_ pairs: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
        if let i = pairs.firstIndex(where: { $0.0.utf8.elementsEqual(key.utf8) }) {
            pairs[i].1 = value
        } else {
            pairs.append((key, value))
        }
    }

    private static func dumpLine(_ pairs: [(String, JSONValue)]) -> [UInt8] {
        var out = PythonJSON.dumpBytes(.object(pairs))
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

/// What `collect_trajs` reads from a trajectory besides its messages.
public enum CollectTrajectory {
    /// `swesmith.constants.generate_hash(s)`: 8 characters of `[a-z0-9]` drawn by `random.Random` seeded with
    /// the integer value of SHA-256(s) in hex. `collect_trajs` hashes `str(traj_dir)`, the trajectory folder's
    /// path as given to it (see ``pathString(_:)``), not the folder's contents.
    public static func generateHash(_ s: String) -> String {
        let digest = Digest.sha256(Array(s.utf8)).bytes
        // int(hexdigest, 16) as CPython seeds with it: 32-bit words, least significant first.
        var words: [UInt32] = []
        for i in stride(from: 28, through: 0, by: -4) {
            words.append(digest[i..<i + 4].reduce(0) { $0 << 8 | UInt32($1) })
        }
        while words.count > 1 && words.last == 0 { words.removeLast() }
        var random = PythonRandom(key: words)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<8).map { _ in random.choice(alphabet) })
    }

    /// `str(Path(path))`: what `collect_trajs` hashes for a `--traj_dir` typed as `path`.
    public static func pathString(_ path: String) -> String { PythonPath(path).string }

    /// `Path.read_text()` of the `<id>.patch` SWE-agent writes with the trajectory's `info.submission`: universal
    /// newlines turn `\r\n` and `\r` into `\n`.
    public static func patchText(submission: String?) -> String {
        guard let submission else { return "" }
        guard submission.utf8.contains(UInt8(ascii: "\r")) else { return submission }
        var out: [UInt8] = []
        let bytes = Array(submission.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\r") {
                out.append(UInt8(ascii: "\n"))
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
            } else {
                out.append(bytes[i])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `json.loads(traj["replay_config"])["agent"]["model"]["name"]` when the trajectory has a `replay_config`;
    /// `.success(nil)` when it has none. A failure is why the reference would raise (and drop the trajectory).
    public static func model(inTrajectory bytes: [UInt8]) -> Result<JSONValue?, SFTError> {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return .failure(SFTError(.invalidJSON, at: "$", "not valid JSON: \(error)"))
        }
        guard let config = document.pyValue("replay_config") else { return .success(nil) }
        guard case .string(let text) = config else {
            return .failure(SFTError(.wrongType, at: "$.replay_config", "json.loads needs a string"))
        }
        var value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            return .failure(SFTError(.invalidJSON, at: "$.replay_config", "not valid JSON: \(error)"))
        }
        var path = "$.replay_config"
        for key in ["agent", "model", "name"] {
            guard case .object = value, let next = value.pyValue(key) else {
                return .failure(SFTError(.missingKey, at: path, "no '\(key)'"))
            }
            value = next
            path += "." + key
        }
        return .success(value.pyCollapsed())
    }
}
