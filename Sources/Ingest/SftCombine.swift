import SmithDatasets
import SmithDomain
import SmithJSON
public import SmithStore

/// `smithlog sft combine`: several SFT datasets merged as SWE-smith's `combine_trajs` merges their files.
///
/// Inputs are re-created from the log (and checked against their recorded hashes), read in the order
/// given, and combined with CPython's `random` emulated exactly; the result and its
/// `metadata__<name>.json` are recorded like a build, with each input pinned as `NAME@N`.
///
/// Neither the inputs nor the output are held whole: the inputs stream past once to find each line's
/// instance (kept as a small record: its blob, its place in the blob, its instance), and the chosen lines are
/// read again one chunk at a time, in the order chosen, rewritten and hashed. A rewritten line is almost always
/// its input's exact bytes, already a blob in the store; only one that differs is kept (compressed) until the
/// dataset's one transaction.
public enum SftCombine {
    public static func run(
        name: String, from inputs: [String], maxPerInstance: Int, seed: Int, newVersion: Bool = false, log: EventLog
    ) throws -> (report: IngestReport, lines: Int, warnings: [String]) {
        guard !inputs.isEmpty else { throw IngestError("sft combine needs at least one --from dataset") }
        try log.checkNewName(name, .sft, field: "NAME")
        try EventValidation.name(name, "NAME")
        let sources = try inputs.map { try SftExport.source(name: $0, log: log) }
        let combiner = SFTCombiner(maxPerInstance: maxPerInstance, seed: seed)
        try combiner.validate()

        var blobs: [Digest] = []
        var warnings: [String] = []
        var files: [(path: String, lines: [SFTCombineCandidate<LineRef>])] = []
        for source in sources {
            var scan = SFTCombineFileScan<LineRef>(path: "trajectories_sft/" + source.fileName)
            var index = 0
            try source.forEachLine(log: log) { line, digest in
                // Lines are read one blob at a time: each must end its line (see SFTCombineFileScan.read).
                index += 1
                if index < source.lines.count && line.last != UInt8(ascii: "\n") {
                    throw IngestError(
                        "SFT dataset \(source.version): line blob \(digest.hex.prefix(12)) does not end with a "
                            + "newline; combine reads the file one line blob at a time")
                }
                let blob = blobs.count
                blobs.append(digest)
                line.withUnsafeBytes { raw in
                    scan.read(raw) { LineRef(blob: blob, range: $0) }
                }
            }
            files.append((scan.path, try scan.finish(warnings: &warnings)))
        }

        let outputPath = SFTCombiner.outputPath(name: name)
        let plan = combiner.plan(files, outputPath: outputPath)
        files = []
        var export = SHA256Hasher()
        var lines: [SftRecording.Line] = []
        lines.reserveCapacity(plan.kept.count)
        var newBlobs: [PreparedBlob] = []
        var rewritten: [UInt8] = []
        var start = 0
        while start < plan.kept.count {
            // As few lines as SftExport reads between releases of the pages their reads map.
            let chunk = Array(plan.kept[start..<min(start + SftExport.Source.linesPerRelease, plan.kept.count)])
            start += chunk.count
            let read = ParallelMap.map(chunk) { kept in Result { try log.blob(blobs[kept.ref.blob]) } }
            for (kept, bytes) in zip(chunk, read) {
                let ref = kept.ref
                let input = try bytes.get()
                rewritten.removeAll(keepingCapacity: true)
                input.withUnsafeBytes { raw in
                    SFTCombiner.rewrite(UnsafeRawBufferPointer(rebasing: raw[ref.range]), into: &rewritten)
                }
                export.update(rewritten)
                let digest = Digest.sha256(rewritten)
                if digest != blobs[ref.blob] { newBlobs.append(PreparedBlob(rewritten)) }
                lines.append(SftRecording.Line(instance: kept.instanceId, trajectory: nil, line: digest))
            }
            log.releaseMappedPages()
        }
        let template = SftDatasetBuilt(
            name: name, style: "combined", transform: "combine", systemPrompt: nil, trajRun: nil, evalRun: nil,
            subset: nil, onlyResolved: true, fileName: FileReading.baseName(outputPath), export: Digest.sha256([]),
            lines: 0, skipped: [], combinedFrom: sources.map(\.version), seed: seed, maxPerInstance: maxPerInstance,
            metadata: nil)
        let report = try SftRecording.record(
            template, lines: lines, export: export.finalize(), lineBlobs: newBlobs,
            metadata: PreparedBlob(plan.metadata), newVersion: newVersion, log: log)
        return (report, lines.count, warnings)
    }

    /// Where an input line is: its blob (an index into the inputs' blobs) and its bytes there.
    private struct LineRef: Sendable {
        var blob: Int
        var range: Range<Int>
    }
}
