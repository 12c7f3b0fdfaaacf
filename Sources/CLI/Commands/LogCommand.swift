import ArgumentParser
import SmithDomain
import SmithJSON
import SmithQueries
import SmithStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List events, oldest first.",
        discussion: """
            With --json, prints one JSON object per line (JSON Lines), the same form `show` prints. A --type or \
            --stream that names nothing in the log exits 3 with the valid values (or the closest).

            Examples:
              smithlog log --type TrajectoryProduced --limit 20
              smithlog log --stream run/my-run --json | jq .payload
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only events of this type (e.g. TrajectoryProduced).")
    var type: String?

    @Option(help: "Only events of this stream (e.g. run/my-run).")
    var stream: String?

    @Option(help: "Start at this seq.")
    var since: UInt64 = 1

    @Option(help: "Stop after this many events.")
    var limit: Int?

    @Flag(help: "Print JSON Lines instead of a table.")
    var json = false

    @OptionGroup var table: TableOptions

    func validate() throws {
        if type != nil && stream != nil {
            throw ValidationError("--type and --stream cannot be combined yet; filter one with the other via `sql`.")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    /// A `--type` or `--stream` that names nothing in the log is a typo, not an empty list: exit 3, with the
    /// valid values or the closest.
    func checkFilters(_ log: EventLog) throws {
        if let type, EventType(rawValue: type) == nil, try !log.hasEvent(type: type) {
            // Every type's name no longer fits the one line: the types this log holds are the ones worth filtering on.
            let all = EventType.allCases.map(\.rawValue)
            let recorded = try all.filter { try log.hasEvent(type: $0) }
            throw KnownValues.unknown("--type", type, what: "an event type", valid: recorded.isEmpty ? all : recorded)
        }
        if let stream, try !log.hasEvent(stream: stream) {
            // The candidates come from the projections, read only on this error path.
            let known = try KnownValues.streams(near: stream, Projections.caughtUp(storeOptions, log: log))
            throw KnownValues.unknown("--stream", stream, what: "a recorded stream", valid: known)
        }
    }

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        try checkFilters(log)
        let out = OutputBuffer()
        let rows: LogTable?
        do {
            rows =
                json
                ? nil : try LogTable(layout: table.layout, lastSeq: try log.lastSeq(), showOrigin: try log.hasPulled())
        } catch let error as TableError {
            throw ValidationError(error.message)
        }
        if let rows { out.write(rows.header) }
        var printed = 0
        let limit = self.limit ?? Int.max
        let emit: (RecordedEvent) -> Bool = { e in
            guard printed < limit else { return false }
            if let rows {
                out.write(rows.lines(e))
            } else {
                out.line(PythonJSON.dumps(e.jsonValue, ensureASCII: false))
            }
            printed += 1
            return true
        }
        if let type {
            try log.forEach(type: type, from: since, emit)
        } else if let stream {
            try log.forEach(stream: stream, from: since, emit)
        } else {
            try log.forEach(from: since, emit)
        }
        out.flush()

    }
}

/// Left-aligns `s` in a column of `width` characters.
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

extension EventLog {
    /// Whether any event has type `type` (a type a newer smithlog wrote is still one to filter by).
    fileprivate func hasEvent(type: String) throws -> Bool {
        var found = false
        try forEach(type: type) { _ in
            found = true
            return false
        }
        return found
    }

    /// Whether any event belongs to `stream`, whatever `--since` skips.
    fileprivate func hasEvent(stream: String) throws -> Bool {
        var found = false
        try forEach(stream: stream) { _ in
            found = true
            return false
        }
        return found
    }
}
