public import SmithDomain
public import SmithProjections

/// The values a filtering option can take, read from the projections, and the one line that names them when a
/// value given is none of them (a typo must not print an empty table and exit 0).
public enum KnownValues {
    /// Valid values are listed in full while the list is at most this many characters; past it, only the
    /// closest are named (the line stays one readable line, under `Console`'s cap).
    static let listedInFull = 240

    /// The benchmarks results are recorded for (retracted ones included), sorted.
    public static func benchmarks(_ projections: ProjectionEngine) throws -> [String] {
        try column("SELECT DISTINCT benchmark FROM benchmark_results ORDER BY benchmark", projections)
    }

    /// The recorded names of `kind` (every version's, retracted ones included), sorted.
    public static func names(_ kind: NamedKind, _ projections: ProjectionEngine) throws -> [String] {
        try column(
            "SELECT DISTINCT name FROM \(NamedTables.table(of: kind)) ORDER BY name", projections)
    }

    /// The recorded task instance ids, sorted.
    public static func instances(_ projections: ProjectionEngine) throws -> [String] {
        try column("SELECT DISTINCT instance_id FROM instances ORDER BY instance_id", projections)
    }

    /// The streams `log --stream` knows: each kind's prefix with a recorded name (`run/NAME`), or the
    /// prefixes alone (`run/NAME`, `instance/ID`, ...) when `stream`'s prefix is none of them.
    public static func streams(near stream: String, _ projections: ProjectionEngine) throws -> [String] {
        let prefix = stream.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        if prefix == "instance" { return try instances(projections).map { StreamName.instance($0) } }
        if let kind = NamedKind.allCases.first(where: { $0.stream("") == prefix + "/" }) {
            return try names(kind, projections).map { kind.stream($0) }
        }
        return streamShapes
    }

    /// The shapes of stream names, as an unknown prefix's message lists them.
    public static let streamShapes =
        NamedKind.allCases.map { $0.stream("NAME") } + [StreamName.instance("ID")]

    /// The not-found error (exit 3) for `value` given to `option`: one line with the valid values when there are
    /// few, else the closest ("did you mean").
    ///
    /// `what` completes "VALUE is not ..." ("a recorded benchmark", "an event type"); `valid` empty says none is
    /// recorded yet.
    public static func unknown(_ option: String, _ value: String, what: String, valid: [String]) -> NameError {
        var line = "\(option) \(NameRule.shown(value)) is not \(what)"
        guard !valid.isEmpty else { return NameError(.notFound, line + " (none is recorded yet)") }
        let close = Closest.matches(to: value, in: valid)
        if !close.isEmpty { line += "; did you mean " + close.joined(separator: " or ") + "?" }
        // The full list only while it reads as one short line, and not beside a suggestion unless it is tiny.
        let list = valid.joined(separator: ", ")
        if close.isEmpty ? list.count <= listedInFull : valid.count <= 3 {
            line += (close.isEmpty ? "; valid: " : " Valid: ") + list
        } else if close.isEmpty {
            line += "; none of the \(valid.count) known is close"
        }
        return NameError(.notFound, line)
    }

    private static func column(_ sql: String, _ projections: ProjectionEngine) throws -> [String] {
        try projections.query(sql: sql).rows.compactMap { $0.first?.stringValue }
    }
}
