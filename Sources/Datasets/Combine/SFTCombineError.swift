/// Why `combine` cannot reproduce the reference: the reference itself would stop, or its output
/// holds something a Swift `String` cannot carry.
public struct SFTCombineError: Error, CustomStringConvertible, Sendable, Hashable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
