/// A name that cannot be used as asked: unknown, already taken by other content, or not a valid name.
public struct NameError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        /// No such name, or no such version of it (the CLI exits 3).
        case notFound
        /// The name already holds other content; `--new-version` records it as the next version.
        case taken
        /// Another process recorded a version of the name while this one was deciding; run the command again.
        case changedMeanwhile
        /// A new name breaks `NameRule`, or a file name derived from a name would leave its folder (exit 1).
        case invalid
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
