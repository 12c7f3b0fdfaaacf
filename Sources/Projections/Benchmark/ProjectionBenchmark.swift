import Foundation
import SmithDomain
import SmithJSON
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
        let resolved = try timeQuery(engine, "SELECT instance_id FROM resolved WHERE eval_run = 'eval-0'")
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
    private static func timeQuery(_ engine: ProjectionEngine, _ sql: String) throws -> (median: Duration, rows: Int) {
        let clock = ContinuousClock()
        var times: [Duration] = []
        var rows = 0
        for attempt in 0..<8 {
            var n = 0
            let start = clock.now
            try engine.query(sql: sql, columns: { _ in }) { _ in
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
        for e in leaderboardEvents() where appended + batch.count < count { batch.append(e) }
        var i = 0
        while appended + batch.count < count {
            let pair = i / 2
            let group = pair / runSize
            // One pair in twenty re-records the previous instance: its trajectory and verdict supersede.
            let again = pair % 20 == 19
            let index = again ? pair - 1 : pair
            let instance = "owner__repo.\(String(index % runSize, radix: 16)).func_pm_remove_assign__\(index % 977)"
            if i % 2 == 0 {
                batch.append(trajectory(run: "run-\(group)", instance: instance, steps: 10 + pair % 50))
            } else {
                let resolved = (pair % 5 < 2) != again
                batch.append(
                    verdict(eval: "eval-\(group)", run: "run-\(group)", instance: instance, resolved: resolved))
            }
            i += 1
            if batch.count == 10_000 { try flush() }
        }
        if !batch.isEmpty { try flush() }
    }

    static func trajectory(run: String, instance: String, steps: Int, cost: Double? = nil) -> NewEvent {
        var p = PayloadBuilder()
        p.set("run", run)
        p.set("instance_id", instance)
        p.set("traj_sha256", digestHex(run + instance + String(steps)))
        p.set("format", "1.1-query")
        p.set("exit_status", "submitted")
        p.set("submission_sha256", digestHex(instance))
        p.set("instance_cost", cost ?? Double(steps) * 0.0125)
        p.set("tokens_sent", steps * 2048)
        p.set("tokens_received", steps * 150)
        p.set("api_calls", steps)
        p.set("steps", steps)
        p.set("swe_agent_version", "1.1.0")
        p.set("swe_rex_version", "1.2.0")
        return DomainEvent(.trajectoryProduced, stream: StreamName.run(run), payload: p.value).newEvent
    }

    static func verdict(eval: String, run: String, instance: String, resolved: Bool) -> NewEvent {
        var p = PayloadBuilder()
        p.set("eval_run", eval)
        p.set("instance_id", instance)
        p.set("resolved", resolved)
        p.set("patch_exists", true)
        p.set("patch_applied", true)
        p.set("timed_out", false)
        p.set("f2p_success", resolved ? 3 : 1)
        p.set("f2p_failure", resolved ? 0 : 2)
        p.set("p2p_success", 40)
        p.set("p2p_failure", 0)
        p.set("report_sha256", digestHex(eval + instance))
        p.set("of_run", run)
        p.set("trajectory", nil as String?)
        return DomainEvent(.evalVerdictRecorded, stream: StreamName.evalRun(eval), payload: p.value).newEvent
    }

    /// SFT datasets, checkpoints, benchmark results, and an agent run of 500 trajectories per result.
    private static func leaderboardEvents() -> [NewEvent] {
        var events: [NewEvent] = []
        for k in 0..<leaderboardEntries {
            var sft = PayloadBuilder()
            sft.set("name", "ft-xml-\(k)")
            sft.set("style", "xml")
            sft.set("transform", "xml-v1")
            sft.set("system_prompt_sha256", digestHex("prompt"))
            sft.set("traj_run", "run-\(k % 2)")
            sft.set("eval_run", "eval-\(k % 2)")
            sft.set("subset", nil as String?)
            sft.set("only_resolved", true)
            sft.set("file_name", "ft_xml_\(k).jsonl")
            sft.set("export_sha256", digestHex("export \(k)"))
            sft.set("lines", 20_000)
            sft.set("skipped", JSONValue.object([("unresolved", .int(30_000))]))
            sft.set("combined_from", JSONValue.null)
            sft.set("seed", nil as Int?)
            sft.set("max_per_inst", nil as Int?)
            events.append(
                DomainEvent(.sftDatasetBuilt, stream: StreamName.sft("ft-xml-\(k)"), payload: sft.value).newEvent)
            var ckpt = PayloadBuilder()
            ckpt.set("name", "ckpt-\(k)")
            ckpt.set("config", JSONValue.object([("output_dir", .string("/out/\(k)"))]))
            ckpt.set("config_sha256", digestHex("config \(k)"))
            ckpt.set("base_model", "Qwen/Qwen2.5-Coder-32B-Instruct")
            ckpt.set("lr", 5e-05)
            ckpt.set("epochs", 3)
            ckpt.set("batch_size", 8)
            ckpt.set("gradient_accumulation_steps", 1)
            ckpt.set("max_seq_len", 32768)
            ckpt.set("data_files", "ft_xml_\(k).jsonl")
            ckpt.set("sft_dataset", "ft-xml-\(k)")
            ckpt.set("sft_match", "sha256")
            ckpt.set("epoch", 2)
            ckpt.set("dir", "/out/\(k)/epoch_2")
            ckpt.set("files", JSONValue.array([]))
            events.append(
                DomainEvent(.checkpointSaved, stream: StreamName.checkpoint("ckpt-\(k)"), payload: ckpt.value)
                    .newEvent)
            let name = "ckpt-\(k)-verified"
            for j in 0..<500 {
                events.append(trajectory(run: name, instance: "astropy__astropy-\(10_000 + j)", steps: 30, cost: 0.3))
            }
            var result = PayloadBuilder()
            result.set("name", name)
            result.set("benchmark", "swe-bench_verified")
            result.set("split", "test")
            result.set("model", "ckpt-\(k)")
            result.set("checkpoint", "ckpt-\(k)")
            result.set("total", 500)
            result.set("submitted", 500)
            result.set("resolved", 150 + 7 * k)
            result.set("unresolved", 350 - 7 * k)
            result.set("error", 0)
            result.set("empty_patch", 0)
            result.set("incomplete", 0)
            result.set("report_format", "swe-bench-v2")
            result.set("report_sha256", digestHex("report \(k)"))
            result.set("ids_sha256", digestHex("ids \(k)"))
            events.append(
                DomainEvent(.benchmarkEvaluated, stream: StreamName.benchmark(name), payload: result.value)
                    .newEvent)
        }
        return events
    }

    private static func digestHex(_ s: String) -> String { Digest.sha256(Array(s.utf8)).hex }
}
