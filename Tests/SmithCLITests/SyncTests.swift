import Foundation
import SmithJSON
import Testing

/// The throwaway PostgreSQL server `tools/test` starts (tools/pg-cluster): `SMITHLOG_TEST_PG_URL`.
///
/// The sync tests need it: in CI (`CI` set) they fail without it; elsewhere they are skipped with a note.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["SMITHLOG_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    /// Run the tests that need a server: it is there, or this is CI (where its absence is a failure).
    static let runnable = url != nil || ProcessInfo.processInfo.environment["CI"] != nil
    static let psql = "/usr/bin/psql"

    /// The server's URL, or a failure saying how to get one.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(
            url, "SMITHLOG_TEST_PG_URL is not set: tools/test starts a PostgreSQL server (tools/pg-cluster)",
            sourceLocation: sourceLocation)
    }

    /// Runs SQL with psql against `url`; its stdout (unaligned, tuples only).
    @discardableResult
    static func sql(_ url: String, _ text: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: psql)
        p.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", text]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CLIError("psql failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new empty database on the server of `url` (`server` default: the test server); its URL.
    static func newDatabase(on server: String? = nil) throws -> String {
        let base = try server ?? require()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try sql(base, "CREATE DATABASE \(name)")
        return String(base[..<base.lastIndex(of: "/")!]) + "/" + name
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension CLIHarness {
    /// A second store beside this harness's: commands run with `--store` it.
    func runIn(_ store: String, _ args: [String], environment: [String: String] = [:]) throws -> Result {
        try run(args + ["--store", store], storeOption: false, environment: environment)
    }

    @discardableResult
    func okIn(
        _ store: String, _ args: [String], environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Result {
        let r = try runIn(store, args, environment: environment)
        #expect(r.status == 0, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// The ids of every event of `store`, as a set.
    func eventIDs(_ store: String) throws -> Set<String> {
        let r = try runIn(store, ["log", "--json"])
        return Set(
            r.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["id"]?.stringValue })
    }

    func events(_ store: String) throws -> [JSONValue] {
        try runIn(store, ["log", "--json"]).stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    /// Every projection table of `store`, rows sorted, without the columns that differ between stores by
    /// nature: local seqs and the time each store recorded a fact it shares.
    func projections(_ store: String) throws -> [String: [String]] {
        let tables = try runIn(
            store,
            [
                "sql", "--json",
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN"
                    + " ('projection_state', 'skipped_events') ORDER BY name",
            ])
        var out: [String: [String]] = [:]
        for t in try JSONParser.parse(tables.stdout).arrayValue ?? [] {
            guard let name = t["name"]?.stringValue, !name.hasPrefix("sqlite_") else { continue }
            let r = try runIn(store, ["sql", "--json", "SELECT * FROM \(name)"])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            out[name] = (try JSONParser.parse(r.stdout).arrayValue ?? []).map { row in
                PythonJSON.dumps(
                    .object(
                        (row.objectValue ?? []).filter {
                            !$0.0.contains("seq") && $0.0 != "recorded_at"
                        }))
            }.sorted()
        }
        return out
    }
}

/// One test at a time, as before. Pull's horizon no longer couples the tests (a transaction one test holds open in
/// its own database is read past by another test's pull, and not even remembered: see `PullHorizon`), so they
/// could run in parallel; that has not been tried (they spawn many processes on a small machine).
@Suite(
    "CLI: push and pull through PostgreSQL", .serialized,
    .enabled(if: TestServer.runnable, "needs SMITHLOG_TEST_PG_URL (tools/test starts a PostgreSQL server)"))
struct SyncTests {
    static let dataset = CLIHarness.sample + "/datasets/swesmith-sample.json"

    /// A store at `cli.dir/name` with the sample dataset, and the sample run as `run`.
    func store(_ cli: CLIHarness, _ name: String, run: String?, eval: Bool = false) throws -> String {
        let s = cli.dir + "/" + name
        try cli.okIn(s, ["init"])
        try cli.okIn(s, ["dataset", "import", Self.dataset, "--name", "swesmith-sample"])
        if let run {
            try cli.okIn(s, ["ingest", "trajectories", CLIHarness.runFolder, "--run", run])
            if eval {
                try cli.okIn(s, ["ingest", "eval", CLIHarness.evalFolder, "--run", run + "-eval", "--of-run", run])
            }
        }
        return s
    }

    /// Stores A (the sample dataset), B (the sample run, sharing no event with A) and C (empty), each with remote
    /// `team` at `db`, whose schema is created: an insert of an event an open transaction holds would wait for it.
    func disjointStores(_ cli: CLIHarness, _ db: String) throws -> (a: String, b: String, c: String) {
        let a = try store(cli, "a", run: nil)
        let b = cli.dir + "/b"
        try cli.okIn(b, ["init"])
        try cli.okIn(b, ["ingest", "trajectories", CLIHarness.runFolder, "--run", "run-b"])
        let c = cli.dir + "/c"
        try cli.okIn(c, ["init"])
        for s in [a, b, c] { try addRemote(cli, s, db) }
        try cli.okIn(a, ["remote", "init"])
        return (a, b, c)
    }

    func addRemote(_ cli: CLIHarness, _ store: String, _ url: String, name: String = "team") throws {
        try cli.okIn(store, ["remote", "add", name, url])
    }

    @Test("two stores with different runs and the same dataset converge: same ids, same projections, the dataset once")
    func converge() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: "run-a", eval: true)
        let b = try store(cli, "b", run: "run-b")
        try addRemote(cli, a, db)
        try addRemote(cli, b, db)
        let initialised = try cli.okIn(a, ["remote", "init"])
        #expect(initialised.stderr.contains("created smithlog tables"))
        #expect(try cli.okIn(b, ["remote", "init"]).stderr.contains("already has smithlog tables"))
        let pushA = try cli.okIn(a, ["push"])
        #expect(pushA.stderr.hasPrefix("pushed "), "\(pushA.stderr)")
        let pushB = try cli.okIn(b, ["push", "team"])
        // B's dataset events are A's: already there.
        #expect(pushB.stderr.contains("already there"))
        try cli.okIn(a, ["pull"])
        try cli.okIn(b, ["pull"])
        let idsA = try cli.eventIDs(a)
        let idsB = try cli.eventIDs(b)
        #expect(idsA == idsB)
        #expect(idsA.count > 30)
        #expect(try cli.projections(a) == cli.projections(b))
        for s in [a, b] {
            let datasets = try cli.events(s).filter { $0["type"]?.stringValue == "DatasetImported" }
            #expect(datasets.count == 1)
            #expect(try cli.okIn(s, ["verify"]).status == 0)
        }
        let server = try TestServer.sql(db, "SELECT count(*), count(DISTINCT event_id) FROM smithlog.events")
        #expect(server == "\(idsA.count)|\(idsA.count)")
        #expect(try TestServer.sql(db, "SELECT count(*) FROM smithlog.names WHERE kind = 'dataset'") == "1")

        // Pushed and pulled again: nothing added anywhere.
        for s in [a, b] {
            #expect(try cli.okIn(s, ["push"]).stderr.hasPrefix("pushed 0 events"))
            #expect(try cli.okIn(s, ["pull"]).stderr.hasPrefix("pulled 0 events"))
        }
        #expect(try cli.eventIDs(a) == idsA)
        #expect(try TestServer.sql(db, "SELECT count(*) FROM smithlog.events") == "\(idsA.count)")

        // Pulled events name their origin in `log` and `show`.
        let runB = try cli.events(a).first { $0["stream"]?.stringValue == "run/run-b" }
        let origin = try #require(runB?["origin"])
        #expect(origin["store"]?.stringValue?.count == 32)
        let id = try #require(runB?["id"]?.stringValue)
        #expect(try cli.okIn(a, ["show", id]).stdout.contains("\"origin\""))
        #expect(try cli.okIn(a, ["log", "--stream", "run/run-b"]).stdout.contains("origin"))
    }

    @Test("a pull of many batches leaves the projections caught up as it exits, with the rows a rebuild gives")
    func pullLeavesProjectionsCaughtUp() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: "run-a", eval: true)
        let c = cli.dir + "/c"
        try cli.okIn(c, ["init"])
        for s in [a, c] { try addRemote(cli, s, db) }
        try cli.okIn(a, ["remote", "init"])
        try cli.okIn(a, ["push"])
        // Batches of 4 events: the projections are caught up while the pull appends, many times over.
        let pull = try cli.okIn(c, ["pull"], environment: ["SMITHLOG_SYNC_BATCH": "4"])
        let pulled = try #require(pull.stderr.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        // The sample dataset, run and evaluation: 29 events, 8 batches.
        #expect(pulled > 20)
        // Read before any query could catch up: every projection has applied every event.
        #expect(try cli.python(count: "SELECT min(last_seq) FROM projection_state", store: c) == pulled)
        #expect(try cli.python(count: "SELECT count(*) FROM skipped_events", store: c) == 0)
        let caughtUp = try cli.projections(c)
        for file in ["projections.sqlite", "projections.sqlite-wal", "projections.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: c + "/" + file)
        }
        #expect(try cli.projections(c) == caughtUp)
        #expect(try cli.projections(c) == cli.projections(a))
    }

    /// The ids, projections and server rows a push of `a` then a pull into an empty store end with.
    struct Final: Equatable {
        var pulled: Set<String>
        var projections: [String: [String]]
        var serverEvents: String
    }

    func final(_ cli: CLIHarness, _ a: String, _ db: String, pulledInto c: String) throws -> Final {
        #expect(try cli.okIn(c, ["verify"]).status == 0)
        return Final(
            pulled: try cli.eventIDs(c), projections: try cli.projections(c),
            serverEvents: try TestServer.sql(
                db, "SELECT count(*), count(DISTINCT event_id), max(origin_seq) FROM smithlog.events"))
    }

    /// The moments `killed` stops a push and a pull at: `count` of each, `STEP:BATCH` with BATCH in
    /// 1...`batches`, half after a batch's blobs (a push's blobs sent but not its events; a pull between its blobs
    /// and its events), half after its events (a push's commit with the reply unread; a pull's append), in a
    /// random order drawn from `seed`.
    static func killMoments(seed: UInt64, batches: Int, count: Int = 10) -> (push: [String], pull: [String]) {
        var generator = KillSeed(state: seed)
        func moments() -> [String] {
            (0..<count).map { i in
                "\(i % 2 == 0 ? "blobs" : "events"):\(Int.random(in: 1...batches, using: &generator))"
            }
            .shuffled(using: &generator)
        }
        return (moments(), moments())
    }

    @Test(
        "push and pull killed (kill -9) at 10 random moments each (seed printed; SMITHLOG_SYNC_KILL_SEED repeats it)")
    func killed() throws {
        let cli = CLIHarness()
        let a = try store(cli, "a", run: "run-a", eval: true)
        let small = ["SMITHLOG_SYNC_BATCH": "4"]
        // The reference: uninterrupted.
        let refDB = try TestServer.newDatabase()
        try addRemote(cli, a, refDB, name: "ref")
        try cli.okIn(a, ["remote", "init", "ref"])
        try cli.okIn(a, ["push", "ref"], environment: small)
        let refC = cli.dir + "/ref-c"
        try cli.okIn(refC, ["init"])
        try addRemote(cli, refC, refDB)
        try cli.okIn(refC, ["pull"], environment: small)
        let expected = try final(cli, a, refDB, pulledInto: refC)
        #expect(expected.pulled == (try cli.eventIDs(a)))

        let seed =
            ProcessInfo.processInfo.environment["SMITHLOG_SYNC_KILL_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64(UInt32.max))
        // Every batch is full but perhaps the last: each of batches 1...count/4 is reached by a push and a pull.
        let batches = expected.pulled.count / 4
        let (pushPoints, pullPoints) = Self.killMoments(seed: seed, batches: batches)
        print(
            "SyncTests.killed: seed \(seed) (SMITHLOG_SYNC_KILL_SEED=\(seed) repeats it); push \(pushPoints), pull \(pullPoints)"
        )
        for (k, (point, pullPoint)) in zip(pushPoints, pullPoints).enumerated() {
            let db = try TestServer.newDatabase()
            let remote = "r\(k)"
            try addRemote(cli, a, db, name: remote)
            try cli.okIn(a, ["remote", "init", remote])
            let killed = try cli.runIn(
                a, ["push", remote], environment: small.merging(["SMITHLOG_SYNC_CRASH_AFTER": point]) { $1 })
            #expect(killed.status != 0, "seed \(seed): push killed at \(point)")
            try cli.okIn(a, ["push", remote], environment: small)
            let c = cli.dir + "/c\(k)"
            try cli.okIn(c, ["init"])
            try addRemote(cli, c, db)
            let killedPull = try cli.runIn(
                c, ["pull"], environment: small.merging(["SMITHLOG_SYNC_CRASH_AFTER": pullPoint]) { $1 })
            #expect(killedPull.status != 0, "seed \(seed): pull killed at \(pullPoint)")
            try cli.okIn(c, ["pull"], environment: small)
            #expect(
                try final(cli, a, db, pulledInto: c) == expected,
                "seed \(seed): push killed at \(point), pull at \(pullPoint)")
            #expect(try cli.okIn(a, ["push", remote]).stderr.hasPrefix("pushed 0 events"))
        }
    }

    @Test("pull orders the server's transaction ids as numbers: none skipped where they gain a digit (999 -> 1001)")
    func transactionIDsGainADigit() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: "run-a")
        try addRemote(cli, a, db)
        try cli.okIn(a, ["remote", "init"])
        let small = ["SMITHLOG_SYNC_BATCH": "4"]
        // Two batches committed with transaction ids of d digits ...
        let first = try cli.runIn(
            a, ["push"], environment: small.merging(["SMITHLOG_SYNC_CRASH_AFTER": "events:2"]) { $1 })
        #expect(first.status != 0)
        // ... then ids consumed up to 10^d, so the rest commit with d + 1 digits.
        try TestServer.sql(
            db,
            """
            DO $$ DECLARE target bigint := power(10, length(pg_current_xact_id()::text))::bigint;
            BEGIN WHILE pg_current_xact_id()::text::bigint < target LOOP COMMIT; END LOOP; END $$
            """)
        try cli.okIn(a, ["push"], environment: small)
        let digits = try TestServer.sql(db, "SELECT count(DISTINCT length(tx::text)) FROM smithlog.events")
        #expect(digits == "2")
        let c = cli.dir + "/c"
        try cli.okIn(c, ["init"])
        try addRemote(cli, c, db)
        try cli.okIn(c, ["pull"], environment: small)
        #expect(try cli.eventIDs(c) == (try cli.eventIDs(a)))
        try cli.okIn(c, ["verify"])
    }

    @Test("a writer transaction held open on the server: pull delays the events committed after it, never skips it")
    func heldWriter() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let (a, b, c) = try disjointStores(cli, db)
        try cli.okIn(a, ["push"])
        // A's events, taken off the server and inserted again by a transaction left open: they take positions
        // before B's, which commit first.
        try TestServer.sql(
            db, "CREATE TABLE public.saved AS SELECT * FROM smithlog.events; DELETE FROM smithlog.events")
        let held = try HeldSession(db)
        try held.send("BEGIN; " + HeldSession.insertSaved)
        try cli.okIn(b, ["push"])
        try cli.okIn(c, ["pull"])
        let before = try cli.eventIDs(c)
        try held.send("COMMIT;")
        #expect(held.finish() == 0)
        try cli.okIn(c, ["pull"])
        let all = try cli.eventIDs(a).union(cli.eventIDs(b))
        #expect(try cli.eventIDs(c) == all)
        // Before the commit, nothing of B's was read past the open transaction.
        #expect(before.isEmpty)
        try cli.okIn(c, ["verify"])
    }

    @Test(
        "transactions held open in another database and on another table do not stop pull short; events one of them inserts later are pulled once it commits"
    )
    func unrelatedTransactions() throws {
        let db = try TestServer.newDatabase()
        let elsewhere = try TestServer.newDatabase()
        let cli = CLIHarness()
        let (a, b, c) = try disjointStores(cli, db)
        // B's events, taken off the server: the transaction on another table inserts them again later.
        try cli.okIn(b, ["push"])
        try TestServer.sql(
            db,
            """
            CREATE TABLE public.saved AS SELECT * FROM smithlog.events; DELETE FROM smithlog.events;
            CREATE TABLE public.scratch (x int)
            """)
        // Two transactions with ids older than A's events: one in another database, one writing another table
        // of this one (no lock on smithlog.events yet).
        let other = try HeldSession(elsewhere)
        try other.send("BEGIN; CREATE TABLE scratch (x int); INSERT INTO scratch VALUES (1);")
        let late = try HeldSession(db)
        try late.send("BEGIN; INSERT INTO public.scratch VALUES (1);")
        try cli.okIn(a, ["push"])
        try cli.okIn(c, ["pull"])
        #expect(try cli.eventIDs(c) == (try cli.eventIDs(a)))
        // The transaction read past now inserts events, which sort before everything pulled, and commits.
        try late.send(HeldSession.insertSaved + " COMMIT;")
        #expect(late.finish() == 0)
        #expect(
            try TestServer.sql(
                db,
                """
                SELECT (SELECT max(tx::text::numeric) FROM smithlog.events WHERE event_id IN (SELECT event_id FROM public.saved))
                  < (SELECT min(tx::text::numeric) FROM smithlog.events WHERE event_id NOT IN (SELECT event_id FROM public.saved))
                """) == "t")
        try cli.okIn(c, ["pull"])
        #expect(try cli.eventIDs(c) == (try cli.eventIDs(a).union(cli.eventIDs(b))))
        try other.send("COMMIT;")
        #expect(other.finish() == 0)
        #expect(try cli.okIn(c, ["pull"]).stderr.hasPrefix("pulled 0 events"))
        try cli.okIn(c, ["verify"])
    }

    @Test("the server restarted in the middle of a push: the push fails with one line, the re-run completes")
    func serverRestarted() throws {
        let cli = CLIHarness()
        // A server of its own: a restart must not cut the other tests' connections.
        let dataDir = cli.dir + "/pg"
        let cluster = CLIHarness.repoRoot + "/tools/pg-cluster"
        let output = cli.dir + "/pg-url"
        let started = spawnAndWait(["/bin/sh", "-c", "'\(cluster)' start '\(dataDir)' > '\(output)'"])
        try #require(started == 0)
        defer { _ = spawnAndWait([cluster, "stop", dataDir]) }
        let serverURL = String(decoding: try cli.read(output), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let db = try TestServer.newDatabase(on: serverURL)
        let a = try store(cli, "a", run: "run-a", eval: true)
        try addRemote(cli, a, db)
        try cli.okIn(a, ["remote", "init"])
        let restart = CLIHarness.repoRoot + "/tools/pg-cluster restart '\(dataDir)'"
        let cut = try cli.runIn(
            a, ["push"],
            environment: [
                "SMITHLOG_SYNC_BATCH": "4", "SMITHLOG_SYNC_RUN_AFTER": "events:2", "SMITHLOG_SYNC_RUN": restart,
            ])
        #expect(cut.status == 1)
        #expect(stderrLines(cut).count == 1, "\(cut.stderr)")
        try cli.okIn(a, ["push"])
        let c = cli.dir + "/c"
        try cli.okIn(c, ["init"])
        try addRemote(cli, c, db)
        try cli.okIn(c, ["pull"])
        #expect(try cli.eventIDs(c) == cli.eventIDs(a))
        try cli.okIn(c, ["verify"])
    }

    @Test(
        "a name claimed by two machines: refused with one line naming the first and the command; then resolved")
    func nameConflict() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: nil)
        let b = cli.dir + "/b"
        try cli.okIn(b, ["init"])
        // Another dataset under the same name: the sample's first two rows.
        let rows = try JSONParser.parse(try cli.read(Self.dataset)).arrayValue ?? []
        let other = cli.dir + "/other.json"
        try Data(PythonJSON.dumps(.array(Array(rows.prefix(2)))).utf8).write(to: URL(fileURLWithPath: other))
        try cli.okIn(b, ["dataset", "import", other, "--name", "swesmith-sample"])
        for s in [a, b] { try addRemote(cli, s, db) }
        try cli.okIn(a, ["remote", "init"])
        try cli.okIn(a, ["push"])
        let before = try TestServer.sql(db, "SELECT count(*) FROM smithlog.events")
        let refused = try cli.runIn(b, ["push"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("dataset 'swesmith-sample@1' was already pushed by"), "\(refused.stderr)")
        #expect(try TestServer.sql(db, "SELECT count(*) FROM smithlog.events") == before)
        // Refused again until resolved: the conflict is computed from the log at each push.
        #expect(try cli.runIn(b, ["push"]).status == 1)
        // The command the refusal names, then the content again under another name.
        let command = "smithlog release-name dataset swesmith-sample@1"
        #expect(refused.stderr.contains(command), "\(refused.stderr)")
        try cli.okIn(b, ["release-name", "dataset", "swesmith-sample@1"])
        #expect(try cli.okIn(b, ["release-name", "dataset", "swesmith-sample@1"]).stderr.contains("already released"))
        try cli.okIn(b, ["dataset", "import", other, "--name", "swesmith-sample-b"])
        try cli.okIn(b, ["push"])
        try cli.okIn(a, ["pull"])
        try cli.okIn(b, ["pull"])
        #expect(try cli.eventIDs(a) == (try cli.eventIDs(b)))
        // Both contents, under distinct names: a's swesmith-sample, b's swesmith-sample-b (same rows as b's
        // released version); on the server each name version is claimed once.
        for s in [a, b] {
            let sets = try cli.okIn(
                s, ["sql", "SELECT name, rows FROM datasets WHERE name = 'swesmith-sample-b' OR version = 1"]
            ).stdout
            #expect(sets.contains("swesmith-sample-b") && sets.contains("2"), "\(sets)")
            // b's released version is marked retracted in both stores; a bare name means a's.
            let released = try cli.okIn(
                s,
                [
                    "sql",
                    "SELECT rows FROM datasets WHERE name = 'swesmith-sample' AND retracted LIKE 'name released:%'",
                ]
            ).stdout
            #expect(released.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("2"), "\(released)")
            let latest = try cli.okIn(
                s, ["sql", "--json", "SELECT rows FROM datasets WHERE name = 'swesmith-sample' AND latest = 1"]
            ).stdout
            #expect(!latest.contains(":2}") && latest.contains("rows"), "\(latest)")
            try cli.okIn(s, ["verify"])
        }
        #expect(
            try TestServer.sql(
                db, "SELECT name || '@' || version FROM smithlog.names WHERE kind = 'dataset' ORDER BY 1")
                == "swesmith-sample-b@1\nswesmith-sample@1")
    }

    @Test("an unreachable server: one line, exit 1, nothing changed locally")
    func unreachable() throws {
        let cli = CLIHarness()
        let a = try store(cli, "a", run: nil)
        // A port nothing listens on: bound, then closed.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        close(fd)
        try addRemote(cli, a, "postgres://nobody@127.0.0.1:\(port)/nothing")
        let before = try cli.okIn(a, ["log", "--json"]).stdout
        for command in [["push"], ["pull"], ["remote", "init"]] {
            let r = try cli.runIn(a, command)
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("cannot be reached"), "\(r.stderr)")
        }
        #expect(try cli.okIn(a, ["log", "--json"]).stdout == before)
        #expect(
            try cli.okIn(a, ["remote", "list"]).stdout.contains("team\tpostgres://nobody@127.0.0.1:\(port)/nothing"))
    }

    @Test("remote add refuses a password in the address, a bad name, and a name taken; remove forgets a remote")
    func remoteConfiguration() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let withPassword = try cli.run(["remote", "add", "team", "postgres://me:secret@host:5432/db"])
        #expect(withPassword.status != 0)
        #expect(withPassword.stderr.contains("PGPASSWORD"))
        #expect(try cli.run(["remote", "add", "a/b", "postgres://me@host:5432/db"]).status == 64)
        try cli.ok(["remote", "add", "team", "postgres://me@host:5432/db"])
        #expect(try cli.run(["remote", "add", "team", "postgres://me@host:5432/db"]).status == 1)
        #expect(try cli.ok(["remote", "list"]).stdout == "team\tpostgres://me@host:5432/db\n")
        try cli.ok(["remote", "remove", "team"])
        #expect(try cli.ok(["remote", "list"]).stdout.isEmpty)
        #expect(try cli.run(["push"]).status == 3)
        #expect(try cli.run(["remote", "remove", "team"]).status == 3)
    }

    @Test("a server schema of an unknown version is refused with one line")
    func unknownSchema() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: nil)
        try addRemote(cli, a, db)
        try cli.okIn(a, ["remote", "init"])
        try TestServer.sql(db, "UPDATE smithlog.meta SET value = '99' WHERE key = 'schema_version'")
        for command in [["push"], ["pull"], ["remote", "init"]] {
            let r = try cli.runIn(a, command)
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1)
            #expect(r.stderr.contains("schema version 99"), "\(r.stderr)")
        }
    }

    @Test("a damaged or missing server row (blob bytes, codec, size, row; payload) is refused on pull, named")
    func damagedRemote() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: nil)
        try addRemote(cli, a, db)
        try cli.okIn(a, ["remote", "init"])
        try cli.okIn(a, ["push"])
        let c = cli.dir + "/c"
        try cli.okIn(c, ["init"])
        try addRemote(cli, c, db)
        let blob = try TestServer.sql(db, "SELECT encode(hash, 'hex') FROM smithlog.blobs ORDER BY hash LIMIT 1")
        // The blob's row changed by `change` (SQL after `UPDATE smithlog.blobs SET`, or nil to delete it): the pull
        // is refused in one line containing `message`, and nothing is appended.
        func refused(_ change: String?, _ message: String) throws {
            let row = "WHERE encode(hash, 'hex') = '\(blob)'"
            try TestServer.sql(
                db, change.map { "UPDATE smithlog.blobs SET \($0) \(row)" } ?? "DELETE FROM smithlog.blobs \(row)")
            let r = try cli.runIn(c, ["pull"])
            #expect(r.status == 1)
            #expect(stderrLines(r).count == 1)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(try cli.eventIDs(c).isEmpty)
        }
        try refused("codec = 'raw', raw_size = 3, bytes = '\\x616263'", "blob \(blob) does not match its hash")
        // A codec this version does not know: named as such, not as a mismatch.
        try refused("codec = 'lz4'", "blob \(blob) is stored as 'lz4'")
        // A negative size (no server constraint forbids it): named as such.
        try refused("codec = 'raw', raw_size = -1", "blob \(blob) has a raw size of -1")
        // The row gone while an event still cites it: the blob is named, with the event citing it.
        try refused(nil, "cites blob \(blob), which the remote lacks")

        let db2 = try TestServer.newDatabase()
        try addRemote(cli, a, db2, name: "second")
        try cli.okIn(a, ["remote", "init", "second"])
        try cli.okIn(a, ["push", "second"])
        // One instance's payload replaced by another's: well-formed, but not the content its id names.
        let first = try TestServer.sql(
            db2,
            "SELECT stream FROM smithlog.events WHERE type = 'InstanceRegistered' ORDER BY global_pos LIMIT 1")
        try TestServer.sql(
            db2,
            """
            UPDATE smithlog.events SET payload = (SELECT payload FROM smithlog.events WHERE type = 'InstanceRegistered'
              ORDER BY global_pos LIMIT 1 OFFSET 1)
            WHERE global_pos = (SELECT min(global_pos) FROM smithlog.events WHERE type = 'InstanceRegistered')
            """)
        let c2 = cli.dir + "/c2"
        try cli.okIn(c2, ["init"])
        try addRemote(cli, c2, db2)
        let r2 = try cli.runIn(c2, ["pull"])
        #expect(r2.status == 1)
        #expect(stderrLines(r2).count == 1)
        #expect(r2.stderr.contains("(InstanceRegistered, \(first)): its content does not"), "\(r2.stderr)")
        #expect(try cli.eventIDs(c2).isEmpty)
    }

    @Test("two pushes of one store at once are serialized: every event on the server once")
    func concurrentPushes() throws {
        let db = try TestServer.newDatabase()
        let cli = CLIHarness()
        let a = try store(cli, "a", run: "run-a", eval: true)
        try addRemote(cli, a, db)
        try cli.okIn(a, ["remote", "init"])
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let r = try? cli.runIn(a, ["push"], environment: ["SMITHLOG_SYNC_BATCH": "3"])
            results.add(r?.status ?? -1)
        }
        #expect(results.statuses == [0, 0])
        let n = try cli.eventIDs(a).count
        #expect(try TestServer.sql(db, "SELECT count(*), count(DISTINCT event_id) FROM smithlog.events") == "\(n)|\(n)")
    }
}

/// A psql session left open on a test database, its transaction held between commands.
final class HeldSession {
    /// Inserts the events of `public.saved` (a copy of `smithlog.events` taken by the test) again.
    static let insertSaved = """
        INSERT INTO smithlog.events (event_id, origin_store, origin_seq, given_id, stream, type, schema_version,
          recorded_at, actor, payload, blobs)
        SELECT event_id, origin_store, origin_seq, given_id, stream, type, schema_version, recorded_at, actor,
          payload, blobs FROM public.saved ORDER BY global_pos;
        """

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var sent = 0

    init(_ url: String) throws {
        process.executableURL = URL(fileURLWithPath: TestServer.psql)
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Sends `sql` and waits until psql has run it (the marker echoed after it comes back).
    func send(_ sql: String) throws {
        sent += 1
        let marker = "held-session-done-\(sent)"
        input.fileHandleForWriting.write(Data((sql + "\n\\echo \(marker)\n").utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw CLIError("psql ended before running: \(sql)") }
            seen.append(chunk)
        }
    }

    /// Ends the session (its transaction ended or rolled back by now); psql's exit status.
    func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Runs `argv` and waits for it; its exit status. (Foundation's `Process.waitUntilExit` was seen never to
/// return for a script that leaves a server running behind it.)
func spawnAndWait(_ argv: [String]) -> Int32 {
    var pid: pid_t = 0
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cArgs.append(nil)
    defer { cArgs.forEach { free($0) } }
    guard posix_spawn(&pid, argv[0], nil, nil, cArgs, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
}

private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var statuses: [Int32] = []
    func add(_ s: Int32) {
        lock.lock()
        statuses.append(s)
        lock.unlock()
    }
}

/// SplitMix64: the kill test's moments, repeatable from the seed it prints.
struct KillSeed: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D3_49BA_0B31_33EB
        return z ^ (z >> 31)
    }
}
