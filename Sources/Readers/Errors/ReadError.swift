/// The one error every reader throws: which file, where in it, and what was wrong.
///
/// `description` is a single line, `<file>: <json path>: <message>` (the JSON path is left out when the problem
/// is not tied to one value, e.g. an empty file or a folder that is not a run), at most `maximumLineLength`
/// characters (long paths and messages are cut in the middle). Messages say what was expected
/// and what was found, e.g. `run1/x.traj: $.info.model_stats.tokens_sent: expected an integer, found "abc"`.
/// YAML files use the same `$.a.b` notation for the place of a bad value.
public struct ReadError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file or folder that could not be read, as the caller named it.
    public var path: String
    /// Where in the document the problem is (`$.info.model_stats`), or `nil` for whole-file problems.
    public var jsonPath: String?
    /// What was expected and what was found.
    public var message: String

    public init(path: String, jsonPath: String? = nil, message: String) {
        self.path = path
        self.jsonPath = jsonPath
        self.message = message
    }

    /// Longest `description`, in characters (with the CLI's `smithlog: ` in front, 300): long file names,
    /// JSON paths and quoted input are cut in the middle.
    public static let maximumLineLength = 290

    public var description: String {
        // Keep it one line even if a message from a dependency carried newlines.
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let place = jsonPath.map { Elision.middle(JSONPath.elided($0), limit: 60) }
        // The message keeps at least 40 characters; the file name gets the rest, its end kept rather than its start
        // (paths of 200 characters, common under temporary folders, stay whole).
        let fileLimit = Self.maximumLineLength - 40 - (place.map { $0.count + 2 } ?? 0) - 2
        let file = Elision.middle(path, limit: fileLimit, head: fileLimit / 4)
        let prefix = place.map { "\(file): \($0): " } ?? "\(file): "
        // A message says first what was wrong, then where: keep more of its start.
        let messageLimit = Self.maximumLineLength - prefix.count
        return prefix + Elision.middle(oneLine, limit: messageLimit, head: messageLimit * 2 / 3)
    }
}
