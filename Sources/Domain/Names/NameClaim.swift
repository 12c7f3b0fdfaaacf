public import SmithStore

/// What a command decided about a name before appending, checked again inside the append's write transaction
/// so that two processes recording one name at once cannot both win.
///
/// A command reads the name's versions, decides (same content: nothing to add; new name or `--new-version`:
/// the next version), then appends with `check` as the transaction's check: if another process added a version
/// meanwhile, the append fails with `NameError(.changedMeanwhile)` and nothing is written.
public struct NameClaim: Sendable {
    public var kind: NamedKind
    public var name: String
    /// How many versions the command saw.
    public var versionsSeen: Int

    public init(kind: NamedKind, name: String, versionsSeen: Int) {
        self.kind = kind
        self.name = name
        self.versionsSeen = versionsSeen
    }

    /// Throws `NameError(.changedMeanwhile)` when the stream now holds another number of versions.
    public func check(_ log: some StreamReading) throws {
        var count = 0
        try log.forEach(stream: kind.stream(name)) { event in
            if event.type == kind.headType.rawValue { count += 1 }
            return true
        }
        guard count == versionsSeen else {
            throw NameError(
                .changedMeanwhile,
                "\(kind.noun) '\(name)' now has \(count) version(s) (\(versionsSeen) when this command started):"
                    + " another process recorded it meanwhile; run the command again")
        }
    }
}
