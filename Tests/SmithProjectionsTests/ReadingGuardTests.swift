import Foundation
import SmithDomain
import SmithProjections
import SmithStore
import Testing

/// What query connections refuse beyond writes, the deadline that stops a runaway query, and `--where`
/// conditions bound to one dataset.
@Suite("Read-only SQL: functions, deadlines and row conditions")
struct ReadingGuardTests {
    /// The pipeline store plus a second dataset, `other`, of two rows; caught up; and a reader with `instance_rows`.
    final class Fixture {
        let dir = TempDir()
        let log: EventLog
        let engine: ProjectionEngine
        let reader: ProjectionReader

        init() throws {
            log = try EventLog.create(at: dir.store)
            try append(PipelineEvents().batches, to: log)
            var other = AppendBatch()
            for (i, id) in ["other__repo.1.pr_1", "other__repo.1.pr_2"].enumerated() {
                other.add(
                    InstanceRegistered(
                        instanceID: id, row: Artifacts.shared.add(Array("{\"instance_id\": \"\(id)\"}".utf8)),
                        dataset: "other", position: i, repo: "other/repo", bugType: "pr", failToPassCount: 1,
                        passToPassCount: 1, imageName: nil, createdAt: nil))
            }
            try log.append(other.events, blobs: other.blobs)
            engine = try ProjectionEngine(store: dir.store)
            try engine.catchUp(log: log)
            reader = try ProjectionReader(path: dir.store.projectionsPath, log: log)
        }
    }

    @Test(
        "functions that expose memory or files are refused before anything runs",
        arguments: [
            "SELECT hex(fts3_tokenizer('simple'))", "SELECT fts3_tokenizer('simple', x'0000000000000000')",
            "SELECT FTS3_Tokenizer('porter')", "SELECT load_extension('/tmp/x.so')",
            "SELECT load_extension('/tmp/x.so', 'entry')",
            "SELECT count(*) FROM runs WHERE fts3_tokenizer('simple') IS NOT NULL",
            "SELECT (SELECT fts3_tokenizer('simple'))", "SELECT fts5(NULL)",
        ])
    func functionsRefused(sql: String) throws {
        let f = try Fixture()
        let error = try #require(throws: ProjectionError.self) { try f.reader.query(sql: sql) }
        #expect(error.code == .functionRefused, "\(sql): \(error)")
        #expect(error.description.contains("exposes the process's memory or files"))
        // The same through the engine's own query connection.
        let viaEngine = try #require(throws: ProjectionError.self) { try f.engine.query(sql: sql) }
        #expect(viaEngine.code == .functionRefused)
        // The connection stays usable, and a later refusal of another kind is not mistaken for this one.
        #expect(try f.reader.query(sql: "SELECT count(*) FROM instances").rows == [[.integer(14)]])
        let write = try #require(throws: ProjectionError.self) { try f.reader.query(sql: "ATTACH ':memory:' AS m") }
        #expect(write.code == .writeRefused)
    }

    @Test("ordinary functions, views and instance_rows still work")
    func ordinaryFunctions() throws {
        let f = try Fixture()
        #expect(
            try f.reader.query(sql: "SELECT lower('A'), json_extract('{\"a\": 1}', '$.a'), abs(-2)").rows
                == [[.text("a"), .integer(1), .integer(2)]])
        #expect(try f.reader.query(sql: "SELECT count(*) FROM leaderboard").rows.count == 1)
        let json = try f.reader.query(
            sql:
                "SELECT json_extract(row_json, '$.instance_id') FROM instance_rows WHERE dataset = 'other' ORDER BY position"
        )
        #expect(json.rows == [[.text("other__repo.1.pr_1")], [.text("other__repo.1.pr_2")]])
    }

    @Test("a query running past its timeout is interrupted; the connection stays usable")
    func deadline() throws {
        let f = try Fixture()
        // The recursion never ends on its own: only the deadline can stop it.
        let runaway = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        let error = try #require(throws: ProjectionError.self) {
            try f.reader.query(sql: runaway, timeout: .milliseconds(200))
        }
        #expect(error.code == .interrupted)
        #expect(error.description == "query interrupted after 0.2 s")
        #expect(try f.reader.query(sql: "SELECT 1", timeout: .seconds(30)).rows == [[.integer(1)]])
        #expect(try f.reader.query(sql: "SELECT 2").rows == [[.integer(2)]])
    }

    @Test(
        "row conditions: one expression, kept inside its parentheses",
        arguments: [
            ("1=1) OR (1=1", "')' closes"), ("0) UNION ALL SELECT 'evil__evil-1' --", "')' closes"),
            ("0 UNION ALL SELECT 'evil__evil-1'", "UNION outside"), ("1; DROP TABLE runs", "';'"),
            ("1 -- the rest", "comments"), ("1 /* x */", "comments"), ("(1", "not closed"), ("", "empty"),
            ("   ", "empty"), ("instance_id = ?", "parameters"), ("instance_id = :x", "parameters"),
            ("instance_id = 'unterminated", "unterminated string"), ("\"col", "unterminated quoted"),
            ("1 LIMIT 1", "LIMIT outside"), ("1e--1", "comments"),
        ])
    func conditionsRefused(text: String, why: String) throws {
        let error = try #require(throws: ProjectionError.self) { try RowCondition(text) }
        #expect(error.code == .invalidQuery)
        #expect(error.description.contains(why), "\(text): \(error)")
    }

    @Test(
        "row conditions users write are accepted",
        arguments: [
            "1", "position < 8", #"instance_id LIKE '%.pr\_%' ESCAPE '\' AND f2p_count BETWEEN 2 AND 5"#,
            "json_extract(row_json, '$.repo') = 'django/django'", "bug_type = 'pr' OR f2p_count < 4",
            "instance_id IN (SELECT instance_id FROM subset_members)", "\"bug_type\" = 'it''s; -- not a comment'",
            "f2p_count > 1.5e-3 AND x'00' IS NOT NULL", "[position] >= 0", "CAST(f2p_count AS TEXT) = '1'",
        ])
    func conditionsAccepted(text: String) throws {
        #expect(try RowCondition(text).text == text)
    }

    @Test("selected ids are always rows of the chosen dataset, whatever the condition")
    func boundToDataset() throws {
        let f = try Fixture()
        let all = try f.reader.instanceIDs(ofDataset: PipelineEvents.dataset, where: RowCondition("1"))
        #expect(all == PipelineEvents.instanceIDs)
        #expect(try f.reader.instanceIDs(ofDataset: "other", where: RowCondition("1")).count == 2)
        // A condition naming other rows still selects only this dataset's.
        let sneaky = try f.reader.instanceIDs(
            ofDataset: "other", where: RowCondition("instance_id IN (SELECT instance_id FROM instances) OR 1"))
        #expect(sneaky == ["other__repo.1.pr_1", "other__repo.1.pr_2"])
        let named = try f.reader.instanceIDs(
            ofDataset: "other", where: RowCondition("dataset = '\(PipelineEvents.dataset)' OR position = 1"))
        #expect(named == ["other__repo.1.pr_2"])
        #expect(try f.reader.instanceIDs(ofDataset: "missing", where: RowCondition("1")).isEmpty)
        let pr = try f.reader.instanceIDs(ofDataset: PipelineEvents.dataset, where: RowCondition("bug_type = 'pr'"))
        #expect(pr == PipelineEvents.instanceIDs.filter { $0.contains(".pr_") })
    }
}
