import Foundation
import SmithDomain
import SmithStore

/// Measures catch-up speed and query latency on a store of many small events, for `tools/bench`.
///
/// The store mimics SWE-smith scale: runs of 50,000 trajectories and eval runs of 50,000 verdicts (40%
/// resolved), in equal numbers, where one instance in twenty is recorded twice (so its second trajectory
/// and verdict supersede the first), plus ten benchmark results with checkpoints, SFT datasets and the
/// agent runs named like them, so the leaderboard has lineage and cost to compute. Build in release mode.
public enum ProjectionBenchmark {
    /// What one run measured.
    public struct Figures: Sendable, CustomStringConvertible {
        /// Events in the log.
        public var events: Int
        /// Time to append them (not the projections' cost; for context).
        public var appendSeconds: Double
        /// Time for one catch-up of a fresh projections file over the whole log.
        public var catchUpSeconds: Double
        public var eventsPerSecond: Double { Double(events) / catchUpSeconds }
        /// Median of several `SELECT * FROM leaderboard`, all rows read.
        public var leaderboardQuery: Duration
        public var leaderboardRows: Int
        /// Median of several `SELECT instance_id FROM resolved WHERE eval_run = ?`, all rows read.
        public var resolvedQuery: Duration
        public var resolvedRows: Int
        /// Size of the projections file (and its WAL) after the catch-up.
        public var projectionsBytes: Int

        public var description: String {
            func ms(_ d: Duration) -> String {
                let (s, a) = d.components
                return String(format: "%.2f ms", Double(s) * 1000 + Double(a) / 1e15)
            }
            return """
                events:              \(events)
                append:              \(String(format: "%.2f", appendSeconds)) s
                catch-up:            \(String(format: "%.2f", catchUpSeconds)) s = \
                \(Int(eventsPerSecond)) events/s
                leaderboard query:   \(ms(leaderboardQuery)) (\(leaderboardRows) rows)
                resolved-set query:  \(ms(resolvedQuery)) (\(resolvedRows) rows)
                projections file:    \(projectionsBytes / 1_000_000) MB
                """
        }
    }

    /// Instances per run and per eval run.
    static let runSize = 50_000
    static let leaderboardEntries = 10

    /// Builds a store under `directory` (created; must not hold a store yet) with `events` events; returns
    /// the seconds the appends took. `progress` gets a line now and then.
    public static func build(events: Int, in directory: String, progress: ((String) -> Void)? = nil) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try appendEvents(events, to: EventLog.create(at: StoreLocation(root: directory)), progress: progress)
        return seconds(clock.now - start)
    }

    /// Times a catch-up from nothing over the store `build` made at `directory`, then the two queries.
    ///
    /// Run it in a process of its own, as `smithlog rebuild` is: right after a million appends in the same
    /// process (a heap full of freed batches, the kernel still writing the log back) it measured 10-15%
    /// slower, which is the benchmark's doing, not the catch-up's.
    public static func measure(in directory: String, appendSeconds: Double = 0) throws -> Figures {
        let store = StoreLocation(root: directory)
        let log = try EventLog.open(at: store)
        let total = Int(try log.lastSeq())
        try ProjectionFile.delete(path: store.projectionsPath)
        let clock = ContinuousClock()
        let start = clock.now
        let engine = try ProjectionEngine(store: store)
        try engine.catchUp(log: log)
        let catchUpSeconds = seconds(clock.now - start)

        let leaderboard = try timeQuery(engine, "SELECT * FROM leaderboard")
        let resolved = try timeQuery(
            engine, "SELECT instance_id FROM resolved WHERE eval_run = ?", arguments: [.text("eval-0")])
        let bytes = [store.projectionsPath, store.projectionsPath + "-wal"].reduce(0) { sum, path in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        return Figures(
            events: total, appendSeconds: appendSeconds, catchUpSeconds: catchUpSeconds,
            leaderboardQuery: leaderboard.median, leaderboardRows: leaderboard.rows, resolvedQuery: resolved.median,
            resolvedRows: resolved.rows, projectionsBytes: bytes)
    }

    /// Times one catch-up from nothing over the store at `directory`, making the store first when it has
    /// none: for profiling the catch-up alone, run after run, without paying for the append each time.
    public static func catchUpOnly(events: Int, in directory: String) throws -> Double {
        let store = StoreLocation(root: directory)
        let log: EventLog
        if FileManager.default.fileExists(atPath: directory) {
            log = try EventLog.open(at: store)
        } else {
            log = try EventLog.create(at: store)
            try appendEvents(events, to: log, progress: nil)
        }
        try ProjectionFile.delete(path: store.projectionsPath)
        let clock = ContinuousClock()
        let start = clock.now
        let engine = try ProjectionEngine(store: store)
        try engine.catchUp(log: log)
        return seconds(clock.now - start)
    }

    private static func seconds(_ d: Duration) -> Double {
        let (s, a) = d.components
        return Double(s) + Double(a) / 1e18
    }

    /// Median time of seven runs of `sql` (after one warm-up), reading every row.
    private static func timeQuery(
        _ engine: ProjectionEngine, _ sql: String, arguments: [SQLValue] = []
    ) throws -> (median: Duration, rows: Int) {
        let clock = ContinuousClock()
        var times: [Duration] = []
        var rows = 0
        for attempt in 0..<8 {
            var n = 0
            let start = clock.now
            try engine.query(sql: sql, arguments: arguments, columns: { _ in }) { _ in
                n += 1
                return true
            }
            if attempt > 0 { times.append(clock.now - start) }
            rows = n
        }
        return (times.sorted()[times.count / 2], rows)
    }

    /// Appends the leaderboard's lineage, then trajectories and verdicts in equal numbers up to `count`.
    private static func appendEvents(_ count: Int, to log: EventLog, progress: ((String) -> Void)?) throws {
        var batch: [NewEvent] = []
        batch.reserveCapacity(10_000)
        var appended = 0
        func flush() throws {
            try log.append(batch)
            appended += batch.count
            batch.removeAll(keepingCapacity: true)
            if appended % 100_000 < 10_000 { progress?("appended \(appended) events") }
        }
        for e in try leaderboardEvents() where appended + batch.count < count { batch.append(e) }
        var i = 0
        while appended + batch.count < count {
            let pair = i / 2
            let group = pair / runSize
            // One pair in twenty re-records the previous instance: its trajectory and verdict supersede.
            let again = pair % 20 == 19
            let index = again ? pair - 1 : pair
            let instance = "owner__repo.\(String(index % runSize, radix: 16)).func_pm_remove_assign__\(index % 977)"
            if i % 2 == 0 {
                batch.append(try trajectory(run: "run-\(group)", instance: instance, steps: 10 + pair % 50))
            } else {
                let resolved = (pair % 5 < 2) != again
                batch.append(
                    try verdict(eval: "eval-\(group)", run: "run-\(group)", instance: instance, resolved: resolved))
            }
            i += 1
            if batch.count == 10_000 { try flush() }
        }
        if !batch.isEmpty { try flush() }
    }

    static func trajectory(run: String, instance: String, steps: Int, cost: Double? = nil) throws -> NewEvent {
        try bare(
            TrajectoryProduced(
                run: run, instanceID: instance, trajectory: digest(run + instance + String(steps)),
                format: "1.1-query", exitStatus: "submitted", submission: digest(instance),
                instanceCost: cost ?? Double(steps) * 0.0125, tokensSent: steps * 2048, tokensReceived: steps * 150,
                apiCalls: steps, steps: steps, sweAgentVersion: "1.1.0", sweRexVersion: "1.2.0"))
    }

    static func verdict(eval: String, run: String, instance: String, resolved: Bool) throws -> NewEvent {
        try bare(
            EvalVerdictRecorded(
                evalRun: eval, instanceID: instance, resolved: resolved, patchExists: true, patchApplied: true,
                timedOut: false, failToPassSuccess: resolved ? 3 : 1, failToPassFailure: resolved ? 0 : 2,
                passToPassSuccess: 40, passToPassFailure: 0,
                // A re-recorded verdict is another report (its identity), as a re-run of the harness writes.
                report: digest(eval + instance + String(resolved)), ofRun: run,
                trajectory: nil))
    }

    /// `event` ready to append without its artifacts: the catch-up never reads blobs, and storing a million
    /// made-up ones would only slow the store's build (the events' payloads and ids are the real ones).
    private static func bare(_ event: some PipelineEvent) throws -> NewEvent {
        var new = try event.newEvent()
        new.blobs = []
        return new
    }

    /// SFT datasets, checkpoints, benchmark results, and an agent run of 500 trajectories per result.
    private static func leaderboardEvents() throws -> [NewEvent] {
        var events: [NewEvent] = []
        for k in 0..<leaderboardEntries {
            events.append(
                try bare(
                    SftDatasetBuilt(
                        name: "ft-xml-\(k)", style: "xml", transform: "xml-v1", systemPrompt: digest("prompt"),
                        trajRun: "run-\(k % 2)", evalRun: "eval-\(k % 2)", subset: nil, onlyResolved: true,
                        fileName: "ft_xml_\(k).jsonl", export: digest("export \(k)"), lines: 20_000,
                        skipped: [("unresolved", 30_000)], combinedFrom: nil, seed: nil, maxPerInstance: nil,
                        metadata: nil)))
            events.append(
                try bare(
                    CheckpointSaved(
                        name: "ckpt-\(k)", config: .object([("output_dir", .string("/out/\(k)"))]),
                        configSHA256: digest("config \(k)"), baseModel: "Qwen/Qwen2.5-Coder-32B-Instruct",
                        learningRate: 5e-05, epochs: 3, batchSize: 8, gradientAccumulationSteps: 1, maxSeqLen: 32768,
                        dataFiles: "ft_xml_\(k).jsonl", sftDataset: "ft-xml-\(k)", sftMatch: "sha256", epoch: 2,
                        dir: "/out/\(k)/epoch_2", files: [])))
            let name = "ckpt-\(k)-verified"
            for j in 0..<500 {
                events.append(
                    try trajectory(run: name, instance: "astropy__astropy-\(10_000 + j)", steps: 30, cost: 0.3))
            }
            events.append(
                try bare(
                    BenchmarkEvaluated(
                        name: name, benchmark: "swe-bench_verified", split: "test", model: "ckpt-\(k)",
                        checkpoint: "ckpt-\(k)", total: 500, submitted: 500, resolved: 150 + 7 * k,
                        unresolved: 350 - 7 * k, error: 0, emptyPatch: 0, incomplete: 0, reportFormat: "swe-bench-v2",
                        report: digest("report \(k)"), ids: digest("ids \(k)"))))
        }
        return events
    }

    private static func digest(_ s: String) -> Digest { Digest.sha256(Array(s.utf8)) }
}
