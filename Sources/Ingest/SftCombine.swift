import SmithDatasets
import SmithDomain
import SmithJSON
public import SmithStore

/// `smithlog sft combine`: several SFT datasets merged as SWE-smith's `combine_trajs` merges their files.
///
/// Inputs are re-created from the log (and checked against their recorded hashes), read in the order
/// given, and combined with CPython's `random` emulated exactly; the result and its
/// `metadata__<name>.json` are recorded like a build, with each input pinned as `NAME@N`.
public enum SftCombine {
    public static func run(
        name: String, from inputs: [String], maxPerInstance: Int, seed: Int, newVersion: Bool = false, log: EventLog
    ) throws -> (report: IngestReport, lines: Int, warnings: [String]) {
        guard !inputs.isEmpty else { throw IngestError("sft combine needs at least one --from dataset") }
        try log.checkNewName(name, .sft, field: "NAME")
        try EventValidation.name(name, "NAME")
        var files: [SFTCombiner.Input] = []
        var pinned: [String] = []
        for input in inputs {
            let export = try SftExport.run(name: input, log: log)
            files.append(SFTCombiner.Input(path: "trajectories_sft/" + export.fileName, contents: export.jsonl))
            pinned.append(export.version)
        }
        let outputPath = SFTCombiner.outputPath(name: name)
        let combination = try SFTCombiner(maxPerInstance: maxPerInstance, seed: seed).combine(
            files, outputPath: outputPath)
        // Every combined line is `json.dumps(...) + "\n"`, so the ranges plus their newline re-make the file.
        var lines: [SftRecording.Line] = []
        let bytes = combination.jsonl
        try JSONLines.forEachLine(bytes) { number, range in
            guard let id = try JSONParser.parse(bytes[range])["instance_id"]?.stringValue else {
                throw IngestError("combined line \(number) has no instance_id")
            }
            lines.append(SftRecording.Line(instance: id, trajectory: nil, bytes: Array(bytes[range]) + [10]))
        }
        let template = SftDatasetBuilt(
            name: name, style: "combined", transform: "combine", systemPrompt: nil, trajRun: nil, evalRun: nil,
            subset: nil, onlyResolved: true, fileName: FileReading.baseName(outputPath), export: Digest.sha256([]),
            lines: 0, skipped: [], combinedFrom: pinned, seed: seed, maxPerInstance: maxPerInstance, metadata: nil)
        let report = try SftRecording.record(
            template, lines: lines, metadata: PreparedBlob(combination.metadata), newVersion: newVersion, log: log)
        return (report, lines.count, combination.warnings)
    }
}
