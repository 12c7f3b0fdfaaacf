import SmithReaders
import Testing

@Suite("PredictionsReader")
struct PredictionsReaderTests {
    static let preOneRun =
        "swe-agent/trajectories/gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1"

    @Test("all_preds.jsonl of a pre-1.0 run")
    func allPredsJSONL() throws {
        let predictions = try PredictionsReader.read(atPath: Fixtures.path(Self.preOneRun + "/all_preds.jsonl"))
        #expect(predictions.count == 1)
        #expect(predictions.first?.instanceId == "pydicom__pydicom-1458")
        #expect(
            predictions.first?.modelNameOrPath
                == "gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1")
        #expect(predictions.first?.modelPatch?.contains("numpy_handler.py") == true)
    }

    @Test("preds.json keyed by instance id, with a null patch")
    func predsJSON() throws {
        let predictions = try PredictionsReader.read(atPath: Fixtures.path("synthetic/swe-agent-1.x-run/preds.json"))
        #expect(
            predictions.map(\.instanceId) == [
                "pandas-dev__pandas.95280573.pr_53856", "pandas-dev__pandas.95280573.pr_99999",
            ])
        #expect(predictions[0].modelPatch?.hasPrefix("diff --git") == true)
        #expect(predictions[1].modelPatch == nil)
        #expect(predictions.allSatisfy { $0.modelNameOrPath == "claude-3-7-sonnet-20250219" })
    }

    @Test("the list form sb-cli accepts, and keyed values without instance_id")
    func otherForms() throws {
        let dir = TempDir()
        let list = dir.write("list.json", #"[{"instance_id": "a", "model_name_or_path": "m", "model_patch": "p"}]"#)
        #expect(
            try PredictionsReader.read(atPath: list) == [
                Prediction(instanceId: "a", modelNameOrPath: "m", modelPatch: "p")
            ])
        let keyed = dir.write("keyed.json", #"{"b": {"model_name_or_path": "m", "model_patch": ""}}"#)
        #expect(
            try PredictionsReader.read(atPath: keyed) == [
                Prediction(instanceId: "b", modelNameOrPath: "m", modelPatch: "")
            ])
    }

    @Test(".pred files, one per instance folder, sorted by instance id")
    func predFiles() throws {
        let dir = TempDir()
        dir.write(
            "run/b__r-2/b__r-2.pred", #"{"model_name_or_path": "m", "instance_id": "b__r-2", "model_patch": "y"}"#)
        dir.write("run/a__r-1.pred", #"{"model_name_or_path": "m", "instance_id": "a__r-1", "model_patch": "x"}"#)
        let bad = dir.write("run/c__r-3/c__r-3.pred", #"{"model_name_or_path": "m", "instance_id": "c__r-3"}"#)
        let (predictions, errors) = try PredictionsReader.readPredFiles(inFolder: dir.path + "/run")
        #expect(predictions.map(\.instanceId) == ["a__r-1", "b__r-2"])
        #expect(errors.map(\.path) == [bad])
        #expect(errors.first?.jsonPath == "$.model_patch")
    }

    @Test("forEach hands over what read returns, one at a time, in every form; a lone object is one prediction")
    func forEachMatchesRead() throws {
        let dir = TempDir()
        let lone = dir.write("lone.json", #"{"instance_id": "c", "model_name_or_path": "m", "model_patch": null}"#)
        let empty = dir.write("empty.json", "{}")
        let paths = [
            Fixtures.path(Self.preOneRun + "/all_preds.jsonl"), Fixtures.path("synthetic/swe-agent-1.x-run/preds.json"),
            dir.write("list.json", #"[{"instance_id": "a", "model_name_or_path": "m", "model_patch": "p"}]"#), lone,
            empty,
        ]
        for path in paths {
            var handed: [Prediction] = []
            try PredictionsReader.forEach(atPath: path) { handed.append($0) }
            #expect(try handed == PredictionsReader.read(atPath: path), "\(path)")
        }
        #expect(
            try PredictionsReader.read(atPath: lone) == [
                Prediction(instanceId: "c", modelNameOrPath: "m", modelPatch: nil)
            ])
        #expect(try PredictionsReader.read(atPath: empty).isEmpty)
    }

    @Test("a syntax error is the file's ReadError: before any entry of a keyed file, after the good ones of a list")
    func syntaxErrorPartWay() throws {
        let dir = TempDir()
        let entry = #"{"instance_id": "a", "model_name_or_path": "m", "model_patch": "p"}"#
        let keyed = dir.write("keyed.json", #"{"a": \#(entry), "b": {"model_name_or_path": }}"#)
        let list = dir.write("list.json", #"[\#(entry), {"model_name_or_path": }]"#)
        for (path, before) in [(keyed, [String]()), (list, ["a"])] {
            var handed: [String] = []
            let error = #expect(throws: ReadError.self) {
                try PredictionsReader.forEach(atPath: path) { handed.append($0.instanceId) }
            }
            #expect(handed == before)
            #expect(error?.path == path)
            #expect(error?.message.contains("invalid JSON") == true, "\(error?.description ?? "")")
            #expect(throws: ReadError.self) { _ = try PredictionsReader.read(atPath: path) }
        }
    }

    @Test("wrong shapes are ReadErrors")
    func wrongShapes() {
        let dir = TempDir()
        let cases: [(String, String, String, String)] = [
            (
                "a.json", #"{"x": {"instance_id": "y", "model_name_or_path": "m", "model_patch": "p"}}"#,
                "$.x.instance_id",
                #"expected the instance id of its key "x", found "y""#
            ),
            (
                "b.json", #"{"x": {"model_name_or_path": 3, "model_patch": "p"}}"#, "$.x.model_name_or_path",
                "expected a string, found the number 3"
            ),
            (
                "c.jsonl",
                #"{"instance_id": "a", "model_name_or_path": "m", "model_patch": null}"# + "\n"
                    + #"{"instance_id": "b"}"# + "\n",
                "$.model_name_or_path", "(line 2)"
            ),
            ("d.json", "3", "$", "expected predictions"),
            ("e.pred", "[]", "$", "expected a prediction (an object)"),
        ]
        for (name, json, jsonPath, message) in cases {
            let path = dir.write(name, json)
            let error = #expect(throws: ReadError.self) { _ = try PredictionsReader.read(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.jsonPath == jsonPath, "\(name): \(error?.description ?? "")")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}
