import SmithProjections
import SmithQueries
import SmithStore

/// Opens a store's projections and brings them up to date, as every command that reads them must.
enum Projections {
    static func caughtUp(_ options: StoreOptions, log: EventLog) throws -> ProjectionEngine {
        let engine = try ProjectionEngine(store: options.location)
        let total = try log.lastSeq()
        let report = try engine.catchUp(log: log) { p in
            Console.progress("projections: \(p.appliedThrough)/\(total) events")
        }
        Console.clearProgress()
        // A missing file is the normal first run; anything else is worth a word.
        if let reason = report.rebuilt, reason != .missing {
            Console.note("note: projections rebuilt from the log (\(reason))")
        }
        // An event no projection could apply is skipped, not fatal: every query says so in one line.
        if let warning = try SkippedWarning.line(engine) { Console.note(warning) }
        return engine
    }
}
