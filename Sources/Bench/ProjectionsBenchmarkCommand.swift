import ArgumentParser
import Foundation
import SmithProjections

/// Issue #4's benchmark: catch-up over N events and query latency, beside raw SQLite inserts of N rows.
struct ProjectionsBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Catch-up over N events; leaderboard and resolved-set query latency.")

    @Option var events: Int = 1_000_000
    @Option(help: .hidden) var catchUpOnly: String?
    @Option(help: .hidden) var buildOnly: String?

    func run() throws {
        if let store = catchUpOnly {
            // Profiling aid: the store is kept between runs, only the catch-up is timed.
            let seconds = try ProjectionBenchmark.catchUpOnly(events: events, in: store)
            print(String(format: "catch-up only: %.2f s = %.0f events/s", seconds, Double(events) / seconds))
            return
        }
        if let store = buildOnly {
            print(try ProjectionBenchmark.build(events: events, in: store))
            return
        }
        let dir = NSTemporaryDirectory() + "smithlog-bench-proj-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The store is built by a child process, so this one times the catch-up as `smithlog rebuild` runs:
        // in a process that has done nothing else (see `ProjectionBenchmark.measure`).
        let builder = Process()
        builder.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        builder.arguments = ["projections", "--events", String(events), "--build-only", dir + "/store"]
        try builder.run()
        builder.waitUntilExit()
        guard builder.terminationStatus == 0 else { throw ExitCode(builder.terminationStatus) }
        sync()
        let figures = try ProjectionBenchmark.measure(in: dir + "/store")
        // The floor: Python's sqlite3 inserting the same number of rows into one keyed table, nothing else.
        let raw = try PythonTimer.seconds(
            """
            import sqlite3, time
            db = sqlite3.connect('\(dir)/raw.sqlite'); db.execute('PRAGMA journal_mode=WAL')
            db.execute('CREATE TABLE t (run TEXT, instance_id TEXT, seq INTEGER, resolved INTEGER, sha TEXT, PRIMARY KEY (run, instance_id)) WITHOUT ROWID')
            rows = [('run-%d' % (i // 50000), 'owner__repo.abcdef12.func_pm_%d' % i, i, i % 2, '%064x' % i) for i in range(\(events))]
            t = time.perf_counter()
            with db: db.executemany('INSERT OR REPLACE INTO t VALUES (?,?,?,?,?)', rows)
            print(time.perf_counter() - t)
            """)
        BenchTable.row(
            "projection catch-up, \(events) events", figures.eventsPerSecond, "events/s",
            reference: Double(events) / raw, referenceName: "python sqlite3 executemany, 1 table")
        BenchTable.row("leaderboard query", Self.ms(figures.leaderboardQuery), "ms")
        BenchTable.row("resolved-set query (\(figures.resolvedRows) rows)", Self.ms(figures.resolvedQuery), "ms")
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
