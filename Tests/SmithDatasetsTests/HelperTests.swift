import Testing

@testable import SmithDatasets

@Suite("Python semantics the transforms rely on")
struct HelperTests {
    @Test("str.strip() strips exactly Python's white space")
    func strip() {
        #expect(PythonWhitespace.strip("\u{3000}\n a b \u{85}\u{1C}") == "a b")
        #expect(PythonWhitespace.strip("\u{200B}x\u{180E}") == "\u{200B}x\u{180E}")  // not white space in Python
        #expect(PythonWhitespace.strip(" \r\n\t ") == "")
        #expect(PythonWhitespace.strip("\r\n\u{301}x") == "\u{301}x")  // scalars, not graphemes
    }

    @Test("pathlib spelling of the recorded paths")
    func paths() {
        #expect(SFTCombiner.outputPath(name: "all") == "trajectories_sft/all.jsonl")
        #expect(SFTCombiner.outputPath(name: "a", sftDirectory: "./x//y/") == "x/y/a.jsonl")
        #expect(
            SFTCombiner.metadataPath(forOutput: "trajectories_sft/a.b.jsonl") == "trajectories_sft/metadata__a.b.json")
        #expect(SFTCombiner.metadataPath(forOutput: "out.jsonl") == "metadata__out.json")
        #expect(SFTCombiner.metadataPath(forOutput: "/d/.hidden") == "/d/metadata__.hidden.json")
        #expect(PythonPath("//a/b").string == "//a/b")
        #expect(PythonPath("///a").string == "/a")
    }

    @Test("bug type and repo of an instance id")
    func instanceIds() {
        #expect(InstanceId.bugType("pandas-dev__pandas.95280573.pr_53652") == "pr")
        #expect(InstanceId.bugType("a__b.1234abcd.func_pm_op_swap__x1") == "func_pm")
        #expect(InstanceId.bugType("a__b.1234abcd.lm_rewrite__k2") == "lm_rewrite_")
        #expect(InstanceId.bugType("astropy__astropy-12907") == "astropy_")
        #expect(InstanceId.repo("pandas-dev__pandas.95280573.pr_53652") == "pandas-dev__pandas.95280573")
        #expect(InstanceId.repo("astropy__astropy-12907") == "astropy__astropy-12907")
    }

    @Test("universal newlines")
    func lines() {
        let bytes: [UInt8] = Array("a\r\nb\rc\n\nd".utf8)
        let ranges = bytes.withUnsafeBytes { JSONLinesReader.lineRanges($0) }
        #expect(ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == ["a", "b", "c", "", "d"])
    }
}
