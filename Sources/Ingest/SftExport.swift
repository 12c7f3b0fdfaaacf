import SmithDomain
public import SmithStore

/// `smithlog sft export`: re-creates a version of an SFT dataset's file from the log, checked against its
/// recorded hash.
public enum SftExport {
    public struct Export: Sendable {
        /// The version exported, `NAME@N`.
        public var version: String
        public var fileName: String
        public var jsonl: [UInt8]
        /// `metadata__<name>.json` for combined datasets, as combine_trajs writes it.
        public var metadata: [UInt8]?
        public var metadataFileName: String?

        /// Where `sft export` writes: `output`, or else `fileName` in the current folder; the metadata file (of a
        /// combined dataset) beside it.
        ///
        /// Both file names come from the dataset's name, which a store written before `NameRule` may hold with
        /// `/` or `..`: each must be one plain path component, else it throws `NameError(.invalid)`.
        public func outputPaths(output: String?) throws -> (jsonl: String, metadata: String?) {
            if output == nil {
                try NameRule.checkFileName(fileName, from: version, hint: "pass -o FILE to choose where to write it")
            }
            let jsonl = output ?? fileName
            guard let metadataFileName else { return (jsonl, nil) }
            try NameRule.checkFileName(
                metadataFileName, from: version, hint: "its metadata file cannot be written beside the export")
            let folder = jsonl.lastIndex(of: "/").map { String(jsonl[...$0]) } ?? ""
            return (jsonl, folder + metadataFileName)
        }
    }

    /// Exports `name` (`NAME` for the latest version, `NAME@N` for version N); an unknown name or version is
    /// `NameError(.notFound)`.
    public static func run(name: String, log: EventLog) throws -> Export {
        let wanted = VersionedName(parsing: name)
        let version = try log.resolve(wanted, .sft, as: SftDatasetBuilt.self)
        let built = version.head
        // Lines point at their build by the head's stored id.
        var digests: [(position: Int, line: Digest)] = []
        try log.forEach(FtSampleEmitted.self, stream: StreamName.sft(wanted.name)) { _, sample in
            if sample.build == version.record.id { digests.append((sample.position, sample.line)) }
            return true
        }
        digests.sort { $0.position < $1.position }
        var jsonl: [UInt8] = []
        // A line stored against its trajectory costs a trajectory's decompression to read: on all cores, in
        // chunks so memory stays bounded.
        var start = 0
        while start < digests.count {
            let chunk = Array(digests[start..<min(start + 32, digests.count)])
            start += chunk.count
            for line in ParallelMap.map(chunk, { item in Result { try log.blob(item.line) } }) {
                jsonl += try line.get()
            }
        }
        let label = version.label(wanted.name)
        let actual = Digest.sha256(jsonl)
        guard actual == built.export, digests.count == built.lines else {
            throw IngestError(
                "SFT dataset \(label): the re-created file does not match what was recorded at build time "
                    + "(SHA-256 \(actual.hex.prefix(16))…, \(digests.count) lines; recorded "
                    + "\(built.export.hex.prefix(16))…, \(built.lines) lines)")
        }
        let metadata = try built.metadata.map { try log.blob($0) }
        let stem = built.fileName.hasSuffix(".jsonl") ? String(built.fileName.dropLast(6)) : built.fileName
        return Export(
            version: label, fileName: built.fileName, jsonl: jsonl, metadata: metadata,
            metadataFileName: metadata == nil ? nil : "metadata__\(stem).json")
    }
}
