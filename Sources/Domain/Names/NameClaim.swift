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
    /// The seq through which the name's stream was read by this claim's checks, and the versions it held up to
    /// there (0 and 0: none of it yet). A check reads only the stream's events after it: an ingest appending a
    /// run's thousands of events to its own stream in many transactions then re-reads none of them (a check of
    /// the whole stream per transaction made its time grow with the square of the run, its resident pages with
    /// the run).
    public private(set) var countedThrough: UInt64 = 0
    public private(set) var versionsThrough = 0

    public init(kind: NamedKind, name: String, versionsSeen: Int) {
        self.kind = kind
        self.name = name
        self.versionsSeen = versionsSeen
    }

    /// Throws `NameError(.changedMeanwhile)` when the stream now holds another number of versions.
    public func check(_ log: some StreamReading) throws {
        var count = versionsThrough
        try log.forEach(stream: kind.stream(name), from: countedThrough + 1) { event in
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

    /// The claim after an append that ran its check in the transaction and committed `outcomes`, `ownHeads` of
    /// them new versions of the name. The stream up to the last event written is then accounted for: what came
    /// before the transaction was checked (it held `versionsSeen` versions), the rest is this append's.
    public func afterAppend(_ outcomes: [AppendOutcome], ownHeads: Int) -> NameClaim {
        var next = self
        next.versionsSeen += ownHeads
        if let last = outcomes.lazy.filter(\.isNew).map(\.seq).max(), last > countedThrough {
            next.countedThrough = last
            next.versionsThrough = next.versionsSeen
        }
        return next
    }
}
