import SmithJSON
public import SmithStore

/// One version of a named thing: its number, the head event that made it, and whether it was retracted.
public struct NamedVersion<Head: PipelineEvent>: Sendable {
    public var version: Int
    public var record: RecordedEvent
    public var head: Head
    /// The reason given when it was retracted, nil when it stands.
    public var retraction: String?

    /// `name@N`.
    public func label(_ name: String) -> String { "\(name)@\(version)" }
}

/// The versions of names, read from the log's own stream index (not the projections).
///
/// Version N of a name is the N-th head event (`NamedKind.headType`) in its stream, so numbers never change
/// once given (a head whose name was released, `NameReleased`, keeps its number and counts as retracted), and a reference recorded as a bare `NAME` means the latest version at the seq it was recorded.
extension EventLog {
    /// Every version of `name` of `kind`, oldest first; empty when the name is unknown.
    public func versions<Head: PipelineEvent>(
        _ kind: NamedKind, _ name: String, as head: Head.Type
    ) throws
        -> [NamedVersion<Head>]
    {
        precondition(Head.eventType == kind.headType, "\(Head.self) is not the head event of \(English.a(kind.noun))")
        var versions: [NamedVersion<Head>] = []
        var retractions: [Int: String] = [:]
        var released: [Digest: String] = [:]
        try forEach(stream: kind.stream(name)) { event in
            if event.type == Head.eventType.rawValue {
                let head = try Self.decoded(Head.self, event)
                versions.append(NamedVersion(version: versions.count + 1, record: event, head: head))
            } else if event.type == Retracted.eventType.rawValue {
                let r = try Self.decoded(Retracted.self, event)
                if r.kind == kind, r.name == name, retractions[r.version] == nil { retractions[r.version] = r.reason }
            } else if event.type == NameReleased.eventType.rawValue {
                // A released head is named by id: its version number may differ in a store that pulled it.
                let r = try Self.decoded(NameReleased.self, event)
                if r.kind == kind, r.name == name, released[r.event] == nil {
                    released[r.event] = "name released: " + r.reason
                }
            }
            return true
        }
        for i in versions.indices {
            versions[i].retraction = retractions[versions[i].version] ?? released[versions[i].record.id]
        }
        return versions
    }

    /// The version `name` means; throws `NameError(.notFound)` when there is none, or `NameError(.invalid)` when
    /// the name is not recorded and breaks `NameRule` (a recorded name is found whatever it holds).
    ///
    /// `NAME@N` is version N, retracted or not. `NAME` is the latest version not retracted (the latest when all
    /// are). With `asOf`, `NAME` is the latest version recorded before that seq, whatever was retracted later:
    /// what an event referred to by bare name stays what it meant then.
    public func resolve<Head: PipelineEvent>(
        _ name: VersionedName, _ kind: NamedKind, as head: Head.Type, asOf seq: UInt64? = nil
    ) throws -> NamedVersion<Head> {
        let all = try versions(kind, name.name, as: head)
        guard !all.isEmpty else { throw unknownName(name.name, kind) }
        if let n = name.version {
            guard n <= all.count else {
                throw NameError(
                    .notFound, "\(kind.noun) '\(name.name)' has \(all.count) version(s); there is no @\(n)")
            }
            return all[n - 1]
        }
        if let seq {
            guard let found = all.last(where: { $0.record.seq < seq }) else {
                throw NameError(.notFound, "no \(kind.noun) named '\(name.name)' was recorded before event \(seq)")
            }
            return found
        }
        return all.last(where: { $0.retraction == nil }) ?? all[all.count - 1]
    }

    /// The error for a name with no version recorded: `.invalid` when it breaks `NameRule` (it could never have
    /// been recorded now), `.notFound` otherwise.
    public static func unknownName(_ name: String, _ kind: NamedKind) -> NameError {
        let unknown = "no \(kind.noun) named \(NameRule.shown(name)) is recorded"
        guard let problem = NameRule.problem(name) else { return NameError(.notFound, unknown) }
        return NameError(.invalid, unknown + ", and it is not a valid name: " + problem)
    }

    /// ``unknownName(_:_:)``, naming the recorded names of `kind` closest to `name` ("did you mean"), or all of
    /// them when there are few.
    ///
    /// Reads the kind's head events' streams from the type index (one per version: few, even in a large log).
    public func unknownName(_ name: String, _ kind: NamedKind) -> NameError {
        var error = Self.unknownName(name, kind)
        guard error.code == .notFound else { return error }
        let prefix = kind.stream("")
        var names = Set<String>()
        try? forEach(type: kind.headType.rawValue) { event in
            if event.stream.hasPrefix(prefix) { names.insert(String(event.stream.dropFirst(prefix.count))) }
            return true
        }
        let known = names.sorted()
        if known.isEmpty {
            error.message += " (none is)"
        } else if let close = Closest.matches(to: name, in: known).first {
            error.message += "; did you mean \(NameRule.shown(close))?"
        } else if known.count <= 5 {
            error.message += "; recorded: " + known.map(NameRule.shown).joined(separator: ", ")
        }
        return error
    }
}
