import SmithProjections
import SmithQueries
import SmithStore

/// Opens a store's projections and brings them up to date: before a query reads them, and after a write
/// command recorded its events.
enum Projections {
    /// The projections, caught up with the log, for a command that reads them.
    ///
    /// Prints the one-line warning about every event the projections ever skipped: a query's answer lacks them.
    static func caughtUp(_ options: StoreOptions, log: EventLog) throws -> ProjectionEngine {
        let engine = try ProjectionEngine(store: options.location)
        try catchUp(engine, log: log)
        // An event no projection could apply is skipped, not fatal: every query says so in one line.
        if let warning = try SkippedWarning.line(engine) { Console.note(warning) }
        return engine
    }

    /// Brings the projections up to date after a write command recorded its events, so that a reader of the
    /// SQLite file (pandas, `sqlite3`) sees them as soon as the command exits.
    ///
    /// Applies only what is new since the last catch-up: normally just what the command appended. Never fails
    /// the command: its events are committed and the log is the truth, so a catch-up that cannot finish (a full
    /// disk, a damaged or unwritable file) is a note, and the next query catches up. Warns only about events
    /// this catch-up could not apply: older ones are in every query's warning already.
    ///
    /// `skippedBefore`: what a catch-up while the command was still writing (``ProjectionFollower``) could not
    /// apply, warned about with the rest.
    static func catchUpAfterWrite(_ options: StoreOptions, log: EventLog, skippedBefore: [SkippedEvent] = []) {
        do {
            let engine = try ProjectionEngine(store: options.location)
            let report = try catchUp(engine, log: log)
            if let warning = SkippedWarning.line(skippedBefore + report.skipped) { Console.note(warning) }
        } catch {
            Console.note(
                "note: the projections were not brought up to date (\(ExitStatus.message(error))); "
                    + "the next query catches up")
        }
    }

    /// Applies what the log holds beyond the projections, with a progress line on a terminal and a note when
    /// they had to be rebuilt for another reason than a missing file.
    @discardableResult
    private static func catchUp(_ engine: ProjectionEngine, log: EventLog) throws -> CatchUpReport {
        let total = try log.lastSeq()
        let report = try engine.catchUp(log: log) { p in
            Console.progress("projections: \(p.appliedThrough)/\(total) events")
        }
        Console.clearProgress()
        // A missing file is the normal first run; anything else is worth a word.
        if let reason = report.rebuilt, reason != .missing {
            Console.note("note: projections rebuilt from the log (\(reason))")
        }
        return report
    }
}
