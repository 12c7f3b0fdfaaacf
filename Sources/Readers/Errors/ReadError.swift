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

    /// Longest `description`, in characters: long file names, JSON paths and quoted input are cut in the middle.
    public static let maximumLineLength = 280

    public var description: String {
        // Keep it one line even if a message from a dependency carried newlines.
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let file = Elision.middle(path, limit: 100)
        let place = jsonPath.map { Elision.middle(JSONPath.elided($0), limit: 100) }
        let prefix = place.map { "\(file): \($0): " } ?? "\(file): "
        return prefix + Elision.middle(oneLine, limit: Self.maximumLineLength - prefix.count)
    }
}
