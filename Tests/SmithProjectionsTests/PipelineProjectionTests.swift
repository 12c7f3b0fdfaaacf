import Foundation
import SmithDomain
import SmithStore
import Testing

@testable import SmithProjections

@Suite("Projecting a whole pipeline")
struct PipelineProjectionTests {
    /// Appends each batch in chunks of two events (blobs with the first chunk), catching up after each.
    private func appendInSmallSteps(_ pipeline: PipelineEvents, _ log: EventLog, _ engine: ProjectionEngine) throws {
        for batch in pipeline.batches {
            var start = 0
            while start < batch.events.count {
                let end = min(start + 2, batch.events.count)
                try log.append(Array(batch.events[start..<end]), blobs: start == 0 ? batch.blobs : [])
                try engine.catchUp(log: log)
                start = end
            }
        }
    }

    @Test("catching up after each small append gives the same rows as one rebuild")
    func stepwiseEqualsRebuild() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let pipeline = PipelineEvents()
        // A batch size of 3 also exercises commits in the middle of one catch-up.
        let stepwise = try ProjectionEngine(store: dir.store, batchSize: 3)
        try appendInSmallSteps(pipeline, log, stepwise)

        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        let rebuilt = try ProjectionEngine(path: rebuiltPath)
        let report = try rebuilt.rebuild(log: log)
        #expect(report.rebuilt == .requested)
        #expect(report.fromSeq == 1)
        #expect(report.lastAppliedSeq == (try log.lastSeq()))

        let a = try dump(dir.store.projectionsPath)
        let b = try dump(rebuiltPath)
        #expect(a.keys.sorted() == b.keys.sorted())
        for table in a.keys.sorted() {
            #expect(a[table] == b[table], "table \(table) differs")
        }
        // Every table has rows (but the skipped events: there are none), so the comparison compared something.
        for table in a.keys.sorted() where table != "skipped_events" {
            #expect(a[table]?.isEmpty == false, "table \(table) is empty")
        }
    }

    @Test("the tables say what the pipeline did")
    func contents() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let pipeline = PipelineEvents()
        try append(pipeline.batches, to: log)
        let engine = try ProjectionEngine(store: dir.store)
        let report = try engine.catchUp(log: log)
        #expect(report.rebuilt == .missing)
        #expect(report.eventsRead == Int(try log.lastSeq()))

        // Instances, with the row's own JSON queryable through instance_rows (read from the log, not copied).
        #expect(try count(engine, "SELECT count(*) FROM instances") == 12)
        #expect(
            try strings(engine, "SELECT DISTINCT json_extract(row_json, '$.note') FROM instance_rows") == ["naïve ✓"])
        #expect(
            try count(
                engine,
                "SELECT count(*) FROM instance_rows WHERE json_array_length(row_json, '$.FAIL_TO_PASS') = f2p_count"
            )
                == 12)
        #expect(try count(engine, "SELECT count(*) FROM instances WHERE image_name IS NULL") == 1)
        #expect(try count(engine, "SELECT rows FROM datasets WHERE name = 'smith-mini'") == 12)

        // The second subset definition is version 2 (the latest); each version keeps its members.
        #expect(
            try strings(engine, "SELECT definition || ' ' || version || ' ' || latest FROM subsets ORDER BY version")
                == [pipeline.ids["subset1"]!.hex + " 1 0", pipeline.ids["subset2"]!.hex + " 2 1"])
        #expect(
            try strings(
                engine,
                """
                SELECT m.instance_id FROM subset_members m JOIN subsets s ON s.definition = m.definition
                WHERE s.name = 'pr-small' AND s.latest = 1 ORDER BY m.position
                """) == PipelineEvents.subsetMembers("subset2").map { $0 as String? })
        #expect(try count(engine, "SELECT count(DISTINCT definition) FROM subset_members") == 2)
        #expect(try count(engine, "SELECT subset_version FROM runs WHERE name = 'expert-1'") == 2)
        #expect(try count(engine, "SELECT dataset_version FROM subsets WHERE version = 2") == 1)

        // The re-recorded trajectory replaced the first one, which is kept as history.
        let members = PipelineEvents.subsetMembers("subset2")
        #expect(try count(engine, "SELECT count(*) FROM trajectories WHERE run = 'expert-1'") == 4)
        #expect(try count(engine, "SELECT count(*) FROM superseded_trajectories") == 1)
        let history = try engine.query(
            sql: """
                SELECT steps, superseded_by, seq FROM trajectory_history WHERE instance_id = '\(members[0])'
                ORDER BY seq
                """
        ).rows
        #expect(history.count == 2)
        #expect(history[0][0] == .integer(10) && history[0][1] == history[1][2])
        #expect(history[1][0] == .integer(30) && history[1][1] == .null)
        #expect(
            try strings(engine, "SELECT event_id FROM trajectories WHERE instance_id = '\(members[0])'")
                == [pipeline.ids["traj-\(members[0])"]?.hex])
        // Verdicts join trajectories on the natural keys.
        #expect(
            try count(
                engine,
                """
                SELECT count(*) FROM verdicts AS v JOIN trajectories AS t ON t.run = v.of_run
                    AND t.instance_id = v.instance_id
                """) == 4)

        // The latest verdict decides: member 1 now resolves, member 2 no longer does.
        #expect(
            try strings(engine, "SELECT instance_id FROM resolved WHERE eval_run = 'eval-1' ORDER BY instance_id")
                == [members[0], members[1], members[3]].sorted().map { $0 as String? })
        #expect(try count(engine, "SELECT count(*) FROM verdicts") == 4)
        #expect(try count(engine, "SELECT count(*) FROM verdict_history") == 6)
        #expect(
            try strings(
                engine,
                "SELECT group_concat(resolved, '') FROM (SELECT resolved FROM verdict_history"
                    + " WHERE instance_id = '\(members[2])' ORDER BY seq)") == ["10"])

        // The second SFT build is version 2; both keep their lines.
        #expect(
            try strings(engine, "SELECT build FROM sft_datasets ORDER BY version")
                == [pipeline.ids["sft1"]?.hex, pipeline.ids["sft2"]?.hex])
        #expect(try count(engine, "SELECT count(*) FROM sft_samples") == 5)
        #expect(try count(engine, "SELECT count(DISTINCT build) FROM sft_samples") == 2)
        #expect(
            try strings(
                engine, "SELECT traj_run_version || ' ' || eval_run_version FROM sft_datasets WHERE version = 2")
                == ["1 1"])
        #expect(
            try strings(
                engine, "SELECT json_extract(skipped_json, '$.unresolved') || '' FROM sft_datasets WHERE latest = 1")
                == ["1"])
        // The checkpoint named the SFT set by bare name after version 2: pinned to 2.
        #expect(try count(engine, "SELECT sft_dataset_version FROM checkpoints") == 2)
        #expect(try count(engine, "SELECT instances FROM runs WHERE name = 'expert-1'") == 4)
        #expect(try strings(engine, "SELECT folder FROM runs WHERE name = 'expert-1'") == ["/runs/expert-1"])
        #expect(try count(engine, "SELECT count(*) FROM trajectories WHERE run_version = 1") == 6)
        // The retracted result keeps its row, marked; the retraction is listed.
        #expect(
            try strings(engine, "SELECT retracted FROM benchmark_results WHERE name = 'broken-verified'")
                == ["report was truncated"])
        #expect(try count(engine, "SELECT count(*) FROM retractions") == 1)

        #expect(try strings(engine, "SELECT json_extract(config_json, '$.output_dir') FROM checkpoints") == ["/ckpt"])
        #expect(try engine.query(sql: "SELECT lr FROM checkpoints").rows == [[.real(1e-05)]])

        // The leaderboard: ranked, with Wilson intervals, cost and lineage.
        let board = try engine.query(
            sql: """
                SELECT rank, name, resolved, total, resolved_pct, ci_low, ci_high, cost, checkpoint, sft_dataset,
                    traj_run, traj_eval_run, traj_model
                FROM leaderboard
                """)
        #expect(board.columns.first == "rank")
        #expect(board.rows.count == 2)  // the retracted result is not ranked
        let best = board.rows[0]
        #expect(best[0] == .integer(1) && best[1] == .text("qwen-7b-ft-1-verified"))
        #expect(best[2] == .integer(325) && best[3] == .integer(500))
        #expect(abs((best[4].doubleValue ?? 0) - 65.0) < 1e-9)
        #expect(abs((best[5].doubleValue ?? 0) - 60.719287100619525) < 1e-9)
        #expect(abs((best[6].doubleValue ?? 0) - 69.05198268553391) < 1e-9)
        #expect(best[7] == .null)
        #expect(
            Array(best[8...])
                == ["qwen-7b-ft-1", "ft-xml-eval-1", "expert-1", "eval-1", "claude-3-7-sonnet"].map {
                    SQLValue.text($0)
                })
        let baseline = board.rows[1]
        #expect(baseline[0] == .integer(2) && baseline[1] == .text("baseline-verified"))
        #expect(abs((baseline[7].doubleValue ?? 0) - 3.75) < 1e-9)
        #expect(baseline[8] == .null && baseline[10] == .null)

        let last = try log.lastSeq()
        #expect(try engine.state().allSatisfy { $0.lastSeq == last })
        #expect(try engine.skippedEvents().isEmpty)
        #expect(
            try engine.state().map(\.projection) == [
                "datasets", "subsets", "runs", "evals", "sft", "checkpoints", "benchmarks", "retractions",
                "training_metrics",
            ])
        // Nothing new: a second catch-up reads nothing.
        let again = try engine.catchUp(log: log)
        #expect(again.eventsRead == 0 && again.rebuilt == nil && again.lastAppliedSeq == last)
    }

    @Test("members are pinned to their definition, whether they come before it, or after a later version")
    func membershipOrder() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let pipeline = PipelineEvents()
        try append(Array(pipeline.batches[0...1]), to: log)
        // Definition 1, then definition 2's members before definition 2 itself.
        try log.append(pipeline.batches[2].events)
        let second = pipeline.batches[3].events
        try log.append(Array(second.dropFirst()) + [second[0]])
        let engine = try ProjectionEngine(store: dir.store, batchSize: 2)
        try engine.catchUp(log: log)
        let members = """
            SELECT m.instance_id FROM subset_members m JOIN subsets s ON s.definition = m.definition
            WHERE s.name = 'pr-small' AND s.version = ? ORDER BY m.position
            """
        #expect(
            try engine.query(sql: members, arguments: [.integer(2)]).rows.map { $0[0].stringValue }
                == PipelineEvents.subsetMembers("subset2").map { $0 as String? })
        // A late member of version 1 stays with version 1.
        var late = AppendBatch()
        late.add(
            InstanceSelected(
                subset: "pr-small", definition: pipeline.ids["subset1"]!, instanceID: "late-member", position: 99))
        try log.append(late.events)
        try engine.catchUp(log: log)
        #expect(try engine.query(sql: members, arguments: [.integer(1)]).rows.last?[0] == .text("late-member"))
        #expect(try engine.query(sql: members, arguments: [.integer(2)]).rows.count == 4)

        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        try ProjectionEngine(path: rebuiltPath).rebuild(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(rebuiltPath)))
    }

    @Test("a v2 subset's members come from its blob, pinned to the definition (its seq), beside v1 members")
    func membersFromBlob() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let pipeline = PipelineEvents()
        // Version 1 as an older smithlog recorded it: an InstanceSelected per member.
        try append(Array(pipeline.batches[0...2]), to: log)
        let ids = [0, 3, 1].map { PipelineEvents.instanceIDs[$0] }
        var file: [UInt8] = []
        for id in ids { SubsetMembersFile.append(id, to: &file) }
        var batch = AppendBatch()
        let definition = SubsetDefined(
            name: "pr-small", dataset: PipelineEvents.dataset, datasetSHA256: artifact("the file"),
            condition: "position < 3", members: ids.count, membersSHA256: Artifacts.shared.add(file))
        batch.add(definition)
        let seq = try log.append(batch.events, blobs: batch.blobs)[0].seq
        let engine = try ProjectionEngine(store: dir.store, batchSize: 2)
        try engine.catchUp(log: log)
        let members = """
            SELECT m.instance_id, m.position, m.seq, m.definition = s.definition FROM subset_members m
            JOIN subsets s ON s.definition = m.definition
            WHERE s.name = 'pr-small' AND s.version = ? ORDER BY m.position
            """
        let rows = try engine.query(sql: members, arguments: [.integer(2)]).rows
        #expect(rows.map { $0[0].stringValue } == ids.map { $0 as String? })
        #expect(rows.map { $0[1].int64Value } == [0, 1, 2])
        #expect(rows.allSatisfy { $0[2].int64Value == Int64(seq) && $0[3].int64Value == 1 })
        #expect(
            try engine.query(sql: members, arguments: [.integer(1)]).rows.map { $0[0].stringValue }
                == PipelineEvents.subsetMembers("subset1").map { $0 as String? })
        #expect(
            try strings(
                engine, "SELECT version || ':' || members FROM subsets WHERE name = 'pr-small' ORDER BY version")
                == ["1:\(PipelineEvents.subsetMembers("subset1").count)", "2:3"])

        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        try ProjectionEngine(path: rebuiltPath).rebuild(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(rebuiltPath)))
    }

    @Test("a reference pins the version recorded before it: X@2 recorded later leaves it at X@1")
    func pinnedVersions() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let engine = try ProjectionEngine(store: dir.store, batchSize: 2)
        var first = AppendBatch()
        first.add(PipelineEvents.sft("ft", lines: 2))
        first.add(PipelineEvents.checkpoint("ckpt", sft: "ft"))
        first.add(PipelineEvents.benchmarkResult(name: "score", model: "ckpt", checkpoint: "ckpt", resolved: 100))
        try log.append(first.events, blobs: first.blobs)
        try engine.catchUp(log: log)
        var second = AppendBatch()
        second.add(PipelineEvents.sft("ft", lines: 3))
        second.add(PipelineEvents.checkpoint("ckpt-2", sft: "ft@1"))
        second.add(Retracted(kind: .sft, name: "ft", version: 2, reason: "wrong prompt"))
        try log.append(second.events, blobs: second.blobs)
        try engine.catchUp(log: log)
        #expect(
            try strings(engine, "SELECT name || ':' || sft_dataset_version FROM checkpoints ORDER BY name")
                == ["ckpt:1", "ckpt-2:1"])
        #expect(
            try strings(engine, "SELECT checkpoint || '@' || checkpoint_version FROM benchmark_results") == ["ckpt@1"])
        // Version 2 is retracted: a bare `ft` means version 1 again (`latest`), version 2 keeps its row, marked.
        #expect(
            try strings(
                engine,
                "SELECT version || ' ' || latest || ' ' || coalesce(retracted, '-') FROM sft_datasets ORDER BY version")
                == ["1 1 -", "2 0 wrong prompt"])
        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        try ProjectionEngine(path: rebuiltPath).rebuild(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(rebuiltPath)))
    }

    @Test("a run grows when its folder is ingested again; a second version counts its own instances")
    func runInstances() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let engine = try ProjectionEngine(store: dir.store)
        var batch = AppendBatch()
        batch.add(PipelineEvents.run("r", model: "m", subset: nil, instances: 2, folder: "/a"))
        for i in 0..<2 { batch.add(PipelineEvents.trajectory(run: "r", instance: "i\(i)", cost: 1, steps: i + 1)) }
        try log.append(batch.events, blobs: batch.blobs)
        try engine.catchUp(log: log)
        var more = AppendBatch()
        for i in 2..<4 { more.add(PipelineEvents.trajectory(run: "r", instance: "i\(i)", cost: 1, steps: i + 1)) }
        more.add(PipelineEvents.run("r", model: "m", subset: nil, instances: 1, folder: "/b"))
        more.add(PipelineEvents.trajectory(run: "r", instance: "i9", cost: 1, steps: 9))
        try log.append(more.events, blobs: more.blobs)
        try engine.catchUp(log: log)
        #expect(
            try strings(engine, "SELECT version || ':' || instances || ':' || folder FROM runs ORDER BY version")
                == ["1:4:/a", "2:1:/b"])
        #expect(try count(engine, "SELECT run_version FROM trajectories WHERE instance_id = 'i9'") == 2)
        let rebuiltPath = dir.path + "/rebuilt.sqlite"
        try ProjectionEngine(path: rebuiltPath).rebuild(log: log)
        #expect(try dump(dir.store.projectionsPath) == (try dump(rebuiltPath)))
    }

    @Test("event types no projection uses are skipped")
    func unknownTypesSkipped() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        // A type this smithlog does not know (a newer one's, say): the raw Store API, as another writer would.
        try log.append([NewEvent(type: "SomethingElse", stream: "x/y", payload: .object([("a", .int(1))]))])
        try append(Array(PipelineEvents().batches[0...1]), to: log)
        let engine = try ProjectionEngine(store: dir.store)
        let report = try engine.catchUp(log: log)
        #expect(report.lastAppliedSeq == (try log.lastSeq()))
        #expect(try count(engine, "SELECT count(*) FROM instances") == 12)
    }
}
