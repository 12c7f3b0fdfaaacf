/// A name that cannot be used as asked: unknown, or already taken by other content.
public struct NameError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        /// No such name, or no such version of it (the CLI exits 3).
        case notFound
        /// The name already holds other content; `--new-version` records it as the next version.
        case taken
        /// Another process recorded a version of the name while this one was deciding; run the command again.
        case changedMeanwhile
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
