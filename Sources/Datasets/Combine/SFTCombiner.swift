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

    /// Combines `inputs` (in selection order) into the file at `outputPath`.
    public func combine(_ inputs: [Input], outputPath: String) throws(SFTCombineError) -> SFTCombination {
        guard maxPerInstance >= 0 else {
            throw SFTCombineError("max_per_inst must not be negative (random.sample refuses \(maxPerInstance))")
        }
        var warnings: [String] = []
        var groups: [(id: String, lines: [LineRef])] = []
        var groupIndex: [CodePointKey: Int] = [:]
        for (fileIndex, input) in inputs.enumerated() {
            let lines = try CombineInputReader.lines(of: input, warnings: &warnings)
            for line in lines {
                let key = CodePointKey(line.instanceId)
                if let g = groupIndex[key] {
                    groups[g].lines.append(LineRef(file: fileIndex, range: line.range))
                } else {
                    groupIndex[key] = groups.count
                    groups.append((line.instanceId, [LineRef(file: fileIndex, range: line.range)]))
                }
            }
        }

        var random = PythonRandom(seed: seed)
        var kept: [LineRef] = []
        var bugTypes = CountingDictionary()
        var repos = CountingDictionary()
        for group in groups {
            let k = min(group.lines.count, maxPerInstance)
            kept.append(contentsOf: random.sample(group.lines, k: k))
            bugTypes.add(k, to: InstanceId.bugType(group.id))
            repos.add(k, to: InstanceId.repo(group.id))
        }
        random.shuffle(&kept)

        var jsonl: [UInt8] = []
        for ref in kept {
            let value = inputs[ref.file].contents.withUnsafeBytes { raw in
                try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[ref.range]))
            }
            // Every kept line parsed when it was read; a nil here would be a bug, not bad input.
            PythonJSON.dump(value!, into: &jsonl)
            jsonl.append(UInt8(ascii: "\n"))
        }

        let output = PythonPath(outputPath).string
        let metadata = CombineMetadata(
            outputFile: output, fileCount: inputs.count, lineCount: kept.count, maxPerInstance: maxPerInstance,
            bugTypes: bugTypes.entries, seed: seed, files: inputs.map { PythonPath($0.path).string },
            repoCounts: repos.entries)
        return SFTCombination(
            outputPath: output, metadataPath: Self.metadataPath(forOutput: outputPath), jsonl: jsonl,
            lineCount: kept.count, metadata: metadata.bytes(), warnings: warnings)
    }

    private struct LineRef {
        var file: Int
        var range: Range<Int>
    }
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
