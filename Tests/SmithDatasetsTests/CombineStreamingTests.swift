import Foundation
import SmithDatasets
import SmithJSON
import Testing

/// `sft combine` reads its inputs one line blob at a time and keeps only where each line is: fed that way, the
/// file scan and the plan give the reference's golden bytes, as the whole-file combine does.
@Suite("combine_trajs streamed line by line")
struct CombineStreamingTests {
    /// Splits a file after each `\n`, as the log's line blobs are.
    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            out.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    struct Ref: Sendable {
        var file: Int
        var piece: Int
        var range: Range<Int>
    }

    /// The streamed combine: scan each piece, plan over the references, rewrite the kept lines in order.
    func streamed(
        _ files: [(path: String, bytes: [UInt8])], combiner: SFTCombiner, outputPath: String
    ) throws -> (
        jsonl: [UInt8], metadata: [UInt8], warnings: [String]
    ) {
        try combiner.validate()
        let split = files.map { pieces($0.bytes) }
        var warnings: [String] = []
        var scanned: [(path: String, lines: [SFTCombineCandidate<Ref>])] = []
        for (f, file) in files.enumerated() {
            var scan = SFTCombineFileScan<Ref>(path: file.path)
            for (p, piece) in split[f].enumerated() {
                piece.withUnsafeBytes { raw in scan.read(raw) { Ref(file: f, piece: p, range: $0) } }
            }
            scanned.append((file.path, try scan.finish(warnings: &warnings)))
        }
        let plan = combiner.plan(scanned, outputPath: outputPath)
        var jsonl: [UInt8] = []
        for kept in plan.kept {
            split[kept.ref.file][kept.ref.piece].withUnsafeBytes { raw in
                SFTCombiner.rewrite(UnsafeRawBufferPointer(rebasing: raw[kept.ref.range]), into: &jsonl)
            }
        }
        return (jsonl, plan.metadata, warnings)
    }

    @Test("same lines, same order, same metadata and warnings", arguments: CombineGoldenCase.all)
    func golden(_ c: CombineGoldenCase) throws {
        let files = try c.files.map { (c.sftDirectory + "/" + $0, try GoldenFiles.bytes("combine/inputs/" + $0)) }
        let outputPath = SFTCombiner.outputPath(name: c.outputName, sftDirectory: c.sftDirectory + "/")
        let combiner = SFTCombiner(maxPerInstance: c.maxPerInstance, seed: c.seed)
        let result = try streamed(files, combiner: combiner, outputPath: outputPath)
        #expect(result.jsonl == (try GoldenFiles.bytes("combine/" + c.output)))
        #expect(result.metadata == (try GoldenFiles.bytes("combine/" + c.metadata)))
        let whole = try combiner.combine(
            files.map { SFTCombiner.Input(path: $0.0, contents: $0.1) }, outputPath: outputPath)
        #expect(result.warnings == whole.warnings)
    }

    @Test("a file that is not UTF-8 after a bad line is skipped whole, as the reference decodes it first")
    func utf8AfterBadLine() throws {
        let good = Array(#"{"instance_id": "a.b.pr_1", "messages": []}"#.utf8) + [10]
        let badID = Array(#"{"instance_id": 7}"#.utf8) + [10]
        let notUTF8: [UInt8] = [0xFF, 10]
        var warnings: [String] = []
        var scan = SFTCombineFileScan<Int>(path: "x.jsonl")
        for piece in [good, badID, notUTF8] { piece.withUnsafeBytes { raw in scan.read(raw) { $0.lowerBound } } }
        #expect(try scan.finish(warnings: &warnings).isEmpty)
        #expect(warnings == ["Error reading x.jsonl: not valid UTF-8; the reference skips the whole file"])

        // Without the bad bytes, the non-string id is the reference's crash.
        var crash = SFTCombineFileScan<Int>(path: "x.jsonl")
        for piece in [good, badID, good] { piece.withUnsafeBytes { raw in crash.read(raw) { $0.lowerBound } } }
        #expect(throws: SFTCombineError.self) { _ = try crash.finish(warnings: &warnings) }
    }
}
