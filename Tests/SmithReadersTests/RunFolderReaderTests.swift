import SmithJSON
import SmithReaders
import Testing

@Suite("RunFolderReader")
struct RunFolderReaderTests {
    @Test("pre-1.0 run: flat .traj, args.yaml, all_preds.jsonl, patches/")
    func preOneRun() throws {
        let run = try RunFolderReader.read(atPath: Fixtures.path(PredictionsReaderTests.preOneRun))
        #expect(run.layout == .flat)
        #expect(run.name == "gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1")
        #expect(run.trajectories.map(\.instanceId) == ["pydicom__pydicom-1458"])
        #expect(run.trajectories.first?.patchPath?.hasSuffix("patches/pydicom__pydicom-1458.patch") == true)
        #expect(run.configPath?.hasSuffix("args.yaml") == true)
        #expect(run.modelName == "gpt4")
        // args.yaml keeps its key order (PyYAML sorted it when writing: actions, agent, ...).
        #expect(run.config?.objectValue?.first?.0 == "actions")
        #expect(run.predictions?.map(\.instanceId) == ["pydicom__pydicom-1458"])
        #expect(run.exitStatuses == nil)
        #expect(run.problems.isEmpty)
    }

    @Test(
        "every fixture run folder lists its trajectories",
        arguments: [
            "swe-agent/trajectories/gpt4__swe-agent__test-repo__default_from_url__t-0.00__p-0.95__c-3.00__install-1",
            "swe-agent/trajectories/gpt4__swe-agent-test-repo__default_from_url__t-0.00__p-0.95__c-3.00__install-1",
            "swe-agent/demonstrations/replay__marshmallow-code__marshmallow-1867__function_calling_replace_from_source",
        ])
    func fixtureRuns(_ folder: String) throws {
        let run = try RunFolderReader.read(atPath: Fixtures.path(folder))
        #expect(run.trajectories.count == 1)
        #expect(run.layout == .flat)
        #expect(run.problems.isEmpty)
        if run.configPath != nil { #expect(run.modelName == "gpt4") }
    }

    @Test("SWE-agent 1.x run: <id>/<id>.traj, run_batch.config.yaml holding JSON, exit statuses, preds.json")
    func oneXRun() throws {
        let dir = TempDir()
        let ids = ["pandas-dev__pandas.95280573.pr_99999", "pandas-dev__pandas.95280573.pr_53856"]
        for name in ["run_batch.config.yaml", "run_batch_exit_statuses.yaml", "preds.json"] {
            dir.copy(fixture: "synthetic/swe-agent-1.x-run/\(name)", to: "run/\(name)")
        }
        dir.copy(fixture: Fixtures.sweSmithTrajectory, to: "run/\(ids[1])/\(ids[1]).traj")
        dir.copy(fixture: "synthetic/swe-agent-1.1/\(ids[1]).traj", to: "run/\(ids[0])/\(ids[0]).traj")
        dir.write("run/\(ids[1])/\(ids[1]).patch", "diff\n")
        dir.write("run/run_batch.log", "log\n")
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(run.layout == .perInstanceFolders)
        #expect(run.trajectories.map(\.instanceId) == ids.sorted())
        #expect(run.trajectories.map { $0.patchPath != nil } == [true, false])
        #expect(run.modelName == "claude-3-7-sonnet-20250219")
        #expect(run.config?.objectValue?.map(\.0).prefix(3) == ["instances", "agent", "output_dir"])
        #expect(run.config?["num_workers"] == .number("4"))
        let statuses = try #require(run.exitStatuses)
        #expect(statuses.instancesByStatus.map(\.status) == ["submitted", "submitted (exit_cost)"])
        #expect(statuses.status(of: ids[0]) == "submitted (exit_cost)")
        #expect(statuses.totalCost == 0.4966197)
        #expect(run.predictions?.count == 2)
        #expect(run.problems.isEmpty)
        for file in run.trajectories {
            #expect(try TrajectoryReader.read(atPath: file.path).instanceId == file.instanceId)
        }
    }

    @Test("an interrupted 1.x run without preds.json: predictions come from <id>/<id>.pred")
    func predFilesOnly() throws {
        let dir = TempDir()
        dir.write("run/a__b-1/a__b-1.traj", "{}")
        dir.write(
            "run/a__b-1/a__b-1.pred", #"{"model_name_or_path": "m", "instance_id": "a__b-1", "model_patch": "p"}"#)
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(run.predictions == [Prediction(instanceId: "a__b-1", modelNameOrPath: "m", modelPatch: "p")])
        #expect(run.predictionsPath == nil && run.problems.isEmpty)
    }

    @Test("eachPrediction gets the predictions one by one instead of run.predictions; a broken file is not handed out")
    func predictionsHandedOut() throws {
        let folder = Fixtures.path(PredictionsReaderTests.preOneRun)
        var handed: [Prediction] = []
        let run = try RunFolderReader.read(atPath: folder) { handed.append($0) }
        #expect(try handed == RunFolderReader.read(atPath: folder).predictions)
        #expect(run.predictions == nil && run.predictionsHandedOut && run.problems.isEmpty)

        let dir = TempDir()
        dir.write("run/a__b-1/a__b-1.traj", "{}")
        dir.write(
            "run/a__b-1/a__b-1.pred", #"{"model_name_or_path": "m", "instance_id": "a__b-1", "model_patch": "p"}"#)
        handed = []
        let interrupted = try RunFolderReader.read(atPath: dir.path + "/run") { handed.append($0) }
        #expect(handed == [Prediction(instanceId: "a__b-1", modelNameOrPath: "m", modelPatch: "p")])
        #expect(interrupted.predictionsHandedOut)

        let preds = dir.write("run/preds.json", #"{"a__b-1": {"model_name_or_path": "m", "model_patch": "p"}, "x"#)
        let broken = try RunFolderReader.read(atPath: dir.path + "/run") { _ in }
        #expect(!broken.predictionsHandedOut && broken.predictions == nil)
        #expect(broken.problems.map(\.path) == [preds])
    }

    @Test("broken auxiliary files are listed as problems, trajectories still listed")
    func problems() throws {
        let dir = TempDir()
        dir.write("run/a__b-1/a__b-1.traj", "{}")
        let config = dir.write("run/run_batch.config.yaml", "agent: [unclosed\n")
        let statuses = dir.write("run/run_batch_exit_statuses.yaml", "instances_by_exit_status:\n  submitted: 3\n")
        let preds = dir.write("run/preds.json", "{")
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(run.trajectories.count == 1)
        #expect(run.problems.map(\.path) == [config, statuses, preds])
        #expect(run.problems[1].jsonPath == "$.instances_by_exit_status.submitted")
    }

    @Test("empty folders and folders without trajectories are ReadErrors")
    func notARun() {
        let dir = TempDir()
        dir.write("empty/.DS_Store", "")
        dir.write("norun/a__b-1/a__b-1.log", "x")
        dir.write("norun/args.yaml", "agent: {}\n")
        for (path, message) in [
            (dir.path + "/empty", "empty folder"), (dir.path + "/norun", "not a SWE-agent run"),
            (dir.path + "/nothing", "found nothing"),
        ] {
            let error = #expect(throws: ReadError.self) { try RunFolderReader.read(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}

@Suite("Run configs")
struct RunConfigTests {
    @Test("run configs are typed the way PyYAML types them: 5e-5 stays a string, 1.0e-5 is a number")
    func pyYAMLTyping() throws {
        let dir = TempDir()
        dir.write("run/a__b-1.traj", "{}")
        dir.write("run/args.yaml", "agent:\n  model:\n    model_name: gpt4\n    lr: 5e-5\n    top_p: 1.0e-5\n")
        let run = try RunFolderReader.read(atPath: dir.path + "/run")
        #expect(run.config?["agent"]?["model"]?["lr"] == .string("5e-5"))
        #expect(run.config?["agent"]?["model"]?["top_p"] == .number("1.0e-5"))
        #expect(run.modelName == "gpt4")
    }
}
