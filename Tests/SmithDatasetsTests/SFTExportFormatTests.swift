import SmithDatasets
import SmithJSON
import Testing

@Suite("collect_trajs and transform_to_ft_list lines")
struct SFTExportFormatTests {
    @Test(
        "generate_hash(str(Path(s))) as swesmith 0.0.9 computes it (values printed by its Python)",
        arguments: [
            ("trajectories/lead/sample-run", "jj6mhmd5"), ("trajectories/lead/sample-run/", "jj6mhmd5"),
            ("./trajectories//lead/sample-run", "jj6mhmd5"), ("/abs/path/x", "ruul6xf0"), ("é/ü", "a8r1rl02"),
        ])
    func generateHash(_ path: String, _ expected: String) {
        #expect(CollectTrajectory.generateHash(CollectTrajectory.pathString(path)) == expected)
    }

    @Test("generate_hash of the empty string")
    func emptyHash() { #expect(CollectTrajectory.generateHash("") == "ksbp9lki") }

    @Test("the patch is read back with universal newlines; no submission is an empty patch")
    func patchText() {
        #expect(CollectTrajectory.patchText(submission: "a\r\nb\rc\n") == "a\nb\nc\n")
        #expect(CollectTrajectory.patchText(submission: nil) == "")
        #expect(CollectTrajectory.patchText(submission: "") == "")
    }

    @Test("collect sets keys as Python's d[k] = v does; list drops instance_id")
    func lines() throws {
        let line =
            Array(#"{"messages": [{"role": "user", "content": "caf\u00e9"}], "instance_id": "a__b-1"}"#.utf8) + [10]
        let collect = try SFTExportLine.collect(
            from: line, resolved: true, model: .string("gpt-4o"), trajID: "a__b-1.jj6mhmd5", patch: "diff\n")
        #expect(
            String(decoding: collect, as: UTF8.self)
                == #"{"messages": [{"role": "user", "content": "caf\u00e9"}], "instance_id": "a__b-1", "resolved": true, "model": "gpt-4o", "traj_id": "a__b-1.jj6mhmd5", "patch": "diff\n"}"#
                + "\n")
        let list = try SFTExportLine.list(from: line)
        #expect(
            String(decoding: list, as: UTF8.self) == #"{"messages": [{"role": "user", "content": "caf\u00e9"}]}"# + "\n"
        )
        #expect(throws: SFTError.self) { try SFTExportLine.list(from: Array("[1]\n".utf8)) }
    }

    @Test("the model comes from replay_config as a JSON string; a dict replay_config drops the line as Python would")
    func model() throws {
        let ok = Array(#"{"replay_config": "{\"agent\": {\"model\": {\"name\": \"m\"}}}"}"#.utf8)
        #expect(try CollectTrajectory.model(inTrajectory: ok).get() == .string("m"))
        #expect(try CollectTrajectory.model(inTrajectory: Array("{}".utf8)).get() == nil)
        let dict = Array(#"{"replay_config": {"agent": {}}}"#.utf8)
        #expect(throws: SFTError.self) { try CollectTrajectory.model(inTrajectory: dict).get() }
    }
}
