import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// One run of `combine_trajs` from `Golden/combine/cases.json`.
struct CombineGoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [String]
    var sftDirectory: String
    var seed: Int
    var maxPerInstance: Int
    var outputName: String
    var output: String
    var metadata: String

    var testDescription: String { "\(name): seed \(seed), max_per_inst \(maxPerInstance)" }

    static let all: [CombineGoldenCase] = {
        let cases = try! GoldenFiles.json("combine/cases.json")
        return cases.arrayValue!.map { c in
            CombineGoldenCase(
                name: c["name"]!.stringValue!, files: c["files"]!.arrayValue!.map { $0.stringValue! },
                sftDirectory: c["sft_dir"]!.stringValue!, seed: Int(c["seed"]!.int64Value!),
                maxPerInstance: Int(c["max_per_inst"]!.int64Value!), outputName: c["output_name"]!.stringValue!,
                output: c["output"]!.stringValue!, metadata: c["metadata"]!.stringValue!)
        }
    }()
}

@Suite("combine_trajs against the reference's golden output")
struct CombineGoldenTests {
    @Test("combined lines and metadata", arguments: CombineGoldenCase.all)
    func combine(_ c: CombineGoldenCase) throws {
        let inputs = try c.files.map { file in
            SFTCombiner.Input(
                path: c.sftDirectory + "/" + file, contents: try GoldenFiles.bytes("combine/inputs/" + file))
        }
        let outputPath = SFTCombiner.outputPath(name: c.outputName, sftDirectory: c.sftDirectory + "/")
        let combiner = SFTCombiner(maxPerInstance: c.maxPerInstance, seed: c.seed)
        let result = try combiner.combine(inputs, outputPath: outputPath)

        let expectedLines = try GoldenFiles.bytes("combine/" + c.output)
        #expect(result.jsonl == expectedLines, "\(firstDifference(result.jsonl, expectedLines))")
        let expectedMetadata = try GoldenFiles.bytes("combine/" + c.metadata)
        #expect(result.metadata == expectedMetadata, "\(firstDifference(result.metadata, expectedMetadata))")
        #expect(result.metadataPath == "\(c.sftDirectory)/metadata__\(c.outputName).json")
        #expect(result.lineCount == expectedLines.filter { $0 == UInt8(ascii: "\n") }.count)
    }

    @Test("a bad line is reported, as the reference prints it")
    func warnings() throws {
        let c = try #require(CombineGoldenCase.all.first { $0.name == "bad_lines" })
        let inputs = try c.files.map { file in
            SFTCombiner.Input(
                path: "trajectories_sft/" + file, contents: try GoldenFiles.bytes("combine/inputs/" + file))
        }
        let result = try SFTCombiner(maxPerInstance: c.maxPerInstance, seed: c.seed)
            .combine(inputs, outputPath: "trajectories_sft/x.jsonl")
        // ft_xml_d (twice) stops at its line 2; ft_xml_e at its blank last line.
        #expect(result.warnings.count == 3)
        #expect(result.warnings.first?.hasPrefix("Error reading trajectories_sft/ft_xml_d.jsonl: line 2") == true)
    }
}
