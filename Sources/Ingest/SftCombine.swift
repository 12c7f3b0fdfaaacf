import SmithDatasets
import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog sft combine`: several SFT datasets merged as SWE-smith's `combine_trajs` merges their files.
///
/// Inputs are re-created from the log (and checked against their recorded hashes), read in the order
/// given, and combined with CPython's `random` emulated exactly; the result and its
/// `metadata__<name>.json` are recorded like a build.
public enum SftCombine {
    public static func run(
        name: String, from inputs: [String], maxPerInstance: Int, seed: Int, log: EventLog,
        projections: ProjectionEngine
    ) throws -> (report: IngestReport, lines: Int, warnings: [String]) {
        guard !inputs.isEmpty else { throw IngestError("sft combine needs at least one --from dataset") }
        var files: [SFTCombiner.Input] = []
        for input in inputs {
            let export = try SftExport.run(name: input, log: log, projections: projections)
            files.append(SFTCombiner.Input(path: "trajectories_sft/" + export.fileName, contents: export.jsonl))
        }
        let outputPath = SFTCombiner.outputPath(name: name)
        let combination = try SFTCombiner(maxPerInstance: maxPerInstance, seed: seed).combine(
            files, outputPath: outputPath)
        // Every combined line is `json.dumps(...) + "\n"`, so the ranges plus their newline re-make the file.
        var lines: [(instance: String, event: String?, line: [UInt8])] = []
        let bytes = combination.jsonl
        try JSONLines.forEachLine(bytes) { number, range in
            guard let id = try JSONParser.parse(bytes[range])["instance_id"]?.stringValue else {
                throw IngestError("combined line \(number) has no instance_id")
            }
            lines.append((id, nil, Array(bytes[range]) + [10]))
        }
        let fileName = FileReading.baseName(outputPath)
        let report = try SftRecording.record(
            name: name, lines: lines, fileName: fileName, log: log,
            payload: { p in
                p.set("style", "combined")
                p.set("transform", "combine")
                p.set("system_prompt_sha256", nil as String?)
                p.set("traj_run", nil as String?)
                p.set("eval_run", nil as String?)
                p.set("subset", nil as String?)
                p.set("only_resolved", true)
            },
            skipped: [:],
            combined: .init(
                from: inputs, seed: seed, maxPerInstance: maxPerInstance, metadata: PreparedBlob(combination.metadata)))
        return (report, lines.count, combination.warnings)
    }
}
