import SmithProjections
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
        if let reason = report.rebuilt, case .missing = reason {
        } else if let reason = report.rebuilt {
            Console.note("note: projections rebuilt from the log (\(reason))")
        }
        return engine
    }
}
