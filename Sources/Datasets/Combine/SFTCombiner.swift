import SmithJSON

/// Merges SFT jsonl files as SWE-smith's `combine_trajs` does, byte for byte.
///
/// The reference reads the chosen files in order, groups their lines by `instance_id` (first-seen
/// order), keeps `random.sample(lines, min(len, max_per_inst))` of each instance after one
/// `random.seed(seed)`, shuffles the whole list once, and writes each kept line re-dumped with
/// `json.dumps` (so formatting is normalised), plus `metadata__<stem>.json`.
///
/// Like the reference, a file that is not UTF-8 is skipped whole, and a line that is not a JSON
/// object with an `instance_id` ends the reading of its file (earlier lines stay); each such case
/// is reported in ``SFTCombination/warnings``. Where the reference would crash (a non-string
/// id) or write what Swift cannot hold (an escaped lone surrogate), `combine` throws.
public struct SFTCombiner: Sendable {
    /// One selected input file.
    public struct Input: Sendable {
        /// The path as the reference records it (`trajectories_sft/ft_xml_run1.jsonl`).
        public var path: String
        public var contents: [UInt8]

        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
    }

    /// Most lines kept per instance (`--max_per_inst`, default 3).
    public var maxPerInstance: Int
    /// `--seed`, default 24.
    public var seed: Int

    public init(maxPerInstance: Int = 3, seed: Int = 24) {
        self.maxPerInstance = maxPerInstance
        self.seed = seed
    }

    /// Where the reference writes a combined file named `name` at its prompt: `sft_dir / (name + ".jsonl")`.
    public static func outputPath(name: String, sftDirectory: String = "trajectories_sft/") -> String {
        PythonPath(sftDirectory).appending(name + ".jsonl").string
    }

    /// `output_file.parent / f"metadata__{output_file.stem}.json"`.
    public static func metadataPath(forOutput outputPath: String) -> String {
        let output = PythonPath(outputPath)
        return output.parent.appending("metadata__\(output.stem).json").string
    }

    /// Refuses what `random.sample` refuses, before any input is read (the reference checks nothing earlier).
    public func validate() throws(SFTCombineError) {
        guard maxPerInstance >= 0 else {
            throw SFTCombineError("max_per_inst must not be negative (random.sample refuses \(maxPerInstance))")
        }
    }

    /// Combines `inputs` (in selection order) into the file at `outputPath`, in memory.
    public func combine(_ inputs: [Input], outputPath: String) throws(SFTCombineError) -> SFTCombination {
        try validate()
        var warnings: [String] = []
        var files: [(path: String, lines: [SFTCombineCandidate<LineRef>])] = []
        for (fileIndex, input) in inputs.enumerated() {
            var scan = SFTCombineFileScan<LineRef>(path: input.path)
            input.contents.withUnsafeBytes { raw in scan.read(raw) { LineRef(file: fileIndex, range: $0) } }
            files.append((input.path, try scan.finish(warnings: &warnings)))
        }
        let plan = self.plan(files, outputPath: outputPath)
        var jsonl: [UInt8] = []
        for ref in plan.kept.map(\.ref) {
            inputs[ref.file].contents.withUnsafeBytes { raw in
                Self.rewrite(UnsafeRawBufferPointer(rebasing: raw[ref.range]), into: &jsonl)
            }
        }
        return SFTCombination(
            outputPath: plan.outputPath, metadataPath: plan.metadataPath, jsonl: jsonl, lineCount: plan.kept.count,
            metadata: plan.metadata, warnings: warnings)
    }

    /// The reference's choice over files already read (``SFTCombineFileScan``), in selection order: which lines
    /// it writes, in which order, and its metadata; the lines stay wherever `Ref` says they are.
    ///
    /// Same seed, same lines, same order as ``combine(_:outputPath:)``: the random choices are made over the
    /// lines' positions only. Call ``validate()`` first.
    public func plan<Ref: Sendable>(
        _ files: [(path: String, lines: [SFTCombineCandidate<Ref>])], outputPath: String
    ) -> SFTCombinePlan<Ref> {
        var groups: [(id: String, lines: [SFTCombineCandidate<Ref>])] = []
        var groupIndex: [CodePointKey: Int] = [:]
        for file in files {
            for line in file.lines {
                let key = CodePointKey(line.instanceId)
                if let g = groupIndex[key] {
                    groups[g].lines.append(line)
                } else {
                    groupIndex[key] = groups.count
                    groups.append((line.instanceId, [line]))
                }
            }
        }
        groupIndex = [:]

        var random = PythonRandom(seed: seed)
        var kept: [SFTCombineCandidate<Ref>] = []
        var bugTypes = CountingDictionary()
        var repos = CountingDictionary()
        for group in groups {
            let k = min(group.lines.count, maxPerInstance)
            kept.append(contentsOf: random.sample(group.lines, k: k))
            bugTypes.add(k, to: InstanceId.bugType(group.id))
            repos.add(k, to: InstanceId.repo(group.id))
        }
        random.shuffle(&kept)

        let output = PythonPath(outputPath).string
        let metadata = CombineMetadata(
            outputFile: output, fileCount: files.count, lineCount: kept.count, maxPerInstance: maxPerInstance,
            bugTypes: bugTypes.entries, seed: seed, files: files.map { PythonPath($0.path).string },
            repoCounts: repos.entries)
        return SFTCombinePlan(
            kept: kept, outputPath: output, metadataPath: Self.metadataPath(forOutput: outputPath),
            metadata: metadata.bytes())
    }

    /// Appends a kept line as the reference writes it: `json.dumps(json.loads(line)) + "\n"`.
    ///
    /// `line` must be one a ``SFTCombineFileScan`` kept (it parsed then); anything else is a caller's bug.
    public static func rewrite(_ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        // Every kept line parsed when it was read; a failure here would be a bug, not bad input.
        let value = try! JSONParser.parse(line)
        PythonJSON.dump(value, into: &out)
        out.append(UInt8(ascii: "\n"))
    }

    private struct LineRef: Sendable {
        var file: Int
        var range: Range<Int>
    }
}

/// What ``SFTCombiner/plan(_:outputPath:)`` chose: the lines to write, in order, and the metadata file.
public struct SFTCombinePlan<Ref: Sendable>: Sendable {
    /// The kept lines, in the order the reference writes them.
    public var kept: [SFTCombineCandidate<Ref>]
    /// `str(output_file)`.
    public var outputPath: String
    public var metadataPath: String
    /// The metadata file's bytes (`json.dump(..., indent=4)`, no final newline).
    public var metadata: [UInt8]
}

/// What ``SFTCombiner/combine(_:outputPath:)`` produces.
public struct SFTCombination: Sendable {
    /// `str(output_file)`.
    public var outputPath: String
    /// Where the reference writes the metadata: `metadata__<stem>.json` beside the output.
    public var metadataPath: String
    /// The combined file's bytes.
    public var jsonl: [UInt8]
    public var lineCount: Int
    /// The metadata file's bytes (`json.dump(..., indent=4)`, no final newline).
    public var metadata: [UInt8]
    /// The input problems the reference prints to stderr and then goes on without.
    public var warnings: [String]
}

/// Counts in insertion order, as the reference's plain dicts keep them.
struct CountingDictionary {
    private(set) var entries: [(key: String, count: Int)] = []
    private var index: [CodePointKey: Int] = [:]

    mutating func add(_ n: Int, to key: String) {
        if let i = index[CodePointKey(key)] {
            entries[i].count += n
        } else {
            index[CodePointKey(key)] = entries.count
            entries.append((key, n))
        }
    }
}
