/// A name as users write it: `NAME` (the latest version) or `NAME@N` (version N, counted from 1).
public struct VersionedName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// nil for "the latest".
    public var version: Int?

    public init(name: String, version: Int? = nil) {
        self.name = name
        self.version = version
    }

    /// Parses `NAME` or `NAME@N`; an `@` not followed by digits only is part of the name.
    ///
    /// Parsing accepts any text, since recorded events and old stores hold names from before `NameRule`; the
    /// rule applies where a name is used: `EventLog.checkNewName` for a new one, and `EventLog.resolve`, which
    /// reports a name that is not recorded and breaks the rule as `NameError(.invalid)`.
    public init(parsing text: String) {
        if let (name, version) = Self.splitVersion(text) {
            self.init(name: name, version: version)
        } else {
            self.init(name: text)
        }
    }

    /// `name@N`, or the bare name when no version is given.
    public var description: String { version.map { "\(name)@\($0)" } ?? name }

    /// `NAME@N` split at its last `@` when N is a positive decimal number; nil otherwise.
    public static func splitVersion(_ text: String) -> (name: String, version: Int)? {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let digits = text[text.index(after: at)...]
        guard !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let version = Int(digits), version >= 1, at != text.startIndex
        else { return nil }
        return (String(text[..<at]), version)
    }
}
