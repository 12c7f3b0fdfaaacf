import Foundation
import SmithProjections
import SmithStore
import Testing

@Suite("Read-only SQL")
struct QueryTests {
    private func engine(_ dir: TempDir) throws -> ProjectionEngine {
        let log = try EventLog.create(at: dir.store)
        try append(PipelineEvents().batches, to: log)
        let engine = try ProjectionEngine(store: dir.store)
        try engine.catchUp(log: log)
        return engine
    }

    @Test("reads work: SELECT, WITH, EXPLAIN, read-only pragmas")
    func reads() throws {
        let dir = TempDir()
        let engine = try engine(dir)
        let result = try engine.query(sql: "SELECT name, rows FROM datasets")
        #expect(result.columns == ["name", "rows"])
        #expect(result.rows == [[.text("smith-mini"), .integer(12)]])
        #expect(try count(engine, "WITH t AS (SELECT * FROM resolved) SELECT count(*) FROM t") == 3)
        #expect(try engine.query(sql: "PRAGMA table_info(runs)").rows.count == 18)
        #expect(try !engine.query(sql: "EXPLAIN QUERY PLAN SELECT * FROM resolved WHERE eval_run = 'x'").rows.isEmpty)
        #expect(try engine.query(sql: "  SELECT 1; -- trailing comment\n").rows == [[.integer(1)]])
    }

    @Test(
        "writes are refused with a clear message and change nothing",
        arguments: [
            "INSERT INTO runs (name, instances, recorded_at, seq) VALUES ('x', 1, 0, 0)",
            "UPDATE runs SET model = 'x'",
            "DELETE FROM trajectories",
            "REPLACE INTO datasets VALUES ('a', 1, 1, NULL, 'b', 'c', 'json', 1, 0, 0)",
            "CREATE TABLE mine (x)",
            "CREATE TEMP TABLE mine (x)",
            "DROP TABLE runs",
            "DROP VIEW leaderboard",
            "ALTER TABLE runs ADD COLUMN y",
            "CREATE INDEX i ON runs (model)",
            "ATTACH DATABASE ':memory:' AS other",
            "DETACH DATABASE main",
            "PRAGMA user_version = 7",
            "PRAGMA journal_mode = DELETE",
            "PRAGMA query_only = 0",
            "VACUUM",
            "REINDEX",
            "ANALYZE",
        ])
    func writesRefused(sql: String) throws {
        let dir = TempDir()
        let engine = try engine(dir)
        let before = try dump(dir.store.projectionsPath)
        let error = try #require(throws: ProjectionError.self) { try engine.query(sql: sql) }
        #expect(error.code == .writeRefused, "\(sql): \(error)")
        #expect(error.description.contains("read-only"), "\(sql): \(error)")
        #expect(try dump(dir.store.projectionsPath) == before)
        #expect(
            try SQLiteDatabase(path: dir.store.projectionsPath, mode: .readOnly).userVersion()
                == ProjectionEngine.schemaVersion)
    }

    @Test("a second statement hidden after the first is refused")
    func multipleStatements() throws {
        let dir = TempDir()
        let engine = try engine(dir)
        let error = try #require(throws: ProjectionError.self) { try engine.query(sql: "SELECT 1; DROP TABLE runs") }
        #expect(error.code == .invalidQuery)
        #expect(error.description.contains("one SQL statement"))
        #expect(try count(engine, "SELECT count(*) FROM runs") == 2)
    }

    @Test("bad SQL says what SQLite says")
    func badSQL() throws {
        let dir = TempDir()
        let engine = try engine(dir)
        let error = try #require(throws: ProjectionError.self) { try engine.query(sql: "SELECT * FROM nope") }
        #expect(error.code == .invalidQuery)
        #expect(error.description.contains("no such table: nope"))
        #expect(error.path == dir.store.projectionsPath)
    }

    @Test("rows can be streamed and stopped early")
    func streaming() throws {
        let dir = TempDir()
        let engine = try engine(dir)
        var columns: [String] = []
        var ids: [String] = []
        try engine.query(
            sql: "SELECT instance_id FROM instances ORDER BY position", columns: { columns = $0 }
        ) { row in
            ids.append(row[0].stringValue ?? "")
            return ids.count < 3
        }
        #expect(columns == ["instance_id"])
        #expect(ids == Array(PipelineEvents.instanceIDs.prefix(3)))
    }
}

@Suite("Query output formats")
struct QueryOutputTests {
    let columns = ["id", "name", "score", "note", "raw"]
    let rows: [[SQLValue]] = [
        [.integer(1), .text("plain"), .real(0.5), .null, .blob([0xde, 0xad])],
        [.integer(-20), .text("has, comma \"and\" quotes\nand a line"), .real(1e20), .text("naïve ✓"), .null],
    ]

    @Test("JSON: a list of objects with keys in column order")
    func json() {
        let expected =
            "[\n"
            + #"  {"id": 1, "name": "plain", "score": 0.5, "note": null, "raw": "dead"},"# + "\n"
            + #"  {"id": -20, "name": "has, comma \"and\" quotes\nand a line", "score": 1e+20, "#
            + #""note": "naïve ✓", "raw": null}"# + "\n"
            + "]\n"
        #expect(QueryOutput.json(columns: columns, rows: rows) == expected)
        #expect(QueryOutput.json(columns: ["a"], rows: []) == "[]\n")
        #expect(QueryOutput.json(columns: ["x"], rows: [[.real(.nan)]]) == "[\n  {\"x\": null}\n]\n")
    }

    @Test("CSV: RFC 4180 quoting, records ended by LF, nothing after the last")
    func csv() {
        let expected =
            "id,name,score,note,raw\n"
            + "1,plain,0.5,,dead\n"
            + "-20,\"has, comma \"\"and\"\" quotes\nand a line\",1e+20,naïve ✓,\n"
        #expect(QueryOutput.csv(columns: columns, rows: rows) == expected)
        #expect(QueryOutput.csv(columns: ["a,b"], rows: []) == "\"a,b\"\n")
        #expect(QueryOutput.csv(columns: [], rows: []) == "")
    }
}
