import ArgumentParser
import SmithJSON
import SmithQueries
import SmithStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List events, oldest first.",
        discussion: "With --json, prints one JSON object per line (JSON Lines), the same form `show` prints.")

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

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let out = OutputBuffer()
        let rows: LogTable?
        do {
            rows = json ? nil : try LogTable(layout: table.layout, lastSeq: try log.lastSeq())
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
