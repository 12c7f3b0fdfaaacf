import SmithDomain
public import SmithStore

/// `smithlog sft export`: re-creates a version of an SFT dataset's file from the log, checked against its
/// recorded hash.
public enum SftExport {
    /// The order an export writes its lines in.
    public enum Order: String, Sendable, CaseIterable {
        /// The order recorded at build time (by instance id for built sets): the file whose SHA-256 was recorded.
        case id
        /// The order the ingesting machine's file system listed the trajectory run's folder (`readdir`): the
        /// file SWE-smith's `transform_to_ft`, which iterates `Path.iterdir()`, wrote on that machine.
        case ingest
    }

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
            try SftExport.outputPaths(
                output: output, fileName: fileName, metadataFileName: metadataFileName, version: version)
        }
    }

    /// A version's lines, found in the log but not yet read: small records only (one digest per line), so an
    /// export streams the lines through ``forEachLine(log:_:)`` without holding the file.
    public struct Source: Sendable {
        /// The version, `NAME@N`.
        public var version: String
        public var fileName: String
        /// `metadata__<name>.json` for combined datasets; nil for built ones.
        public var metadataFileName: String?
        /// Each line's blob, in the file's order.
        public var lines: [Digest]
        let built: SftDatasetBuilt
        /// The order the lines are in; only `.id` gives the file whose SHA-256 was recorded, so only it is
        /// checked whole (every line's blob is checked against its own hash as it is read, in either order).
        public var order: Order = .id

        /// See ``Export/outputPaths(output:)``.
        public func outputPaths(output: String?) throws -> (jsonl: String, metadata: String?) {
            try SftExport.outputPaths(
                output: output, fileName: fileName, metadataFileName: metadataFileName, version: version)
        }

        /// Calls `body` with each line's bytes (and its blob), in order, hashing them as they pass; throws after the
        /// last line if the file they make is not the one recorded at build time. Returns the file's size.
        ///
        /// Lines read between two releases of the store's mapped pages. Reading a line maps hundreds of KB around
        /// it (its blob, its trajectory, the trajectory's reference, and the B-tree pages of each lookup, each with
        /// 64 KB of fault-around): 32 lines kept 14 MB of the store mapped at once in `sft combine`, more as the
        /// store grows; 8 keep a quarter of that, for a release (one madvise) per 8 lines.
        static let linesPerRelease = 8

        /// Lines are read a few at a time on all cores (a line stored against its trajectory costs a trajectory's
        /// decompression to read); at most one such chunk is held at once.
        @discardableResult
        public func forEachLine(log: EventLog, _ body: (_ line: [UInt8], _ blob: Digest) throws -> Void) throws -> Int {
            var hasher = SHA256Hasher()
            var size = 0
            var start = 0
            while start < lines.count {
                let chunk = Array(lines[start..<min(start + Self.linesPerRelease, lines.count)])
                start += chunk.count
                for (digest, line) in zip(chunk, ParallelMap.map(chunk, { d in Result { try log.blob(d) } })) {
                    let bytes = try line.get()
                    hasher.update(bytes)
                    size += bytes.count
                    try body(bytes, digest)
                }
                // Each line's read maps its trajectory's pages: dropped as they go, not held to the end.
                log.releaseMappedPages()
            }
            let actual = hasher.finalize()
            guard order == .id ? actual == built.export && lines.count == built.lines : lines.count == built.lines
            else {
                throw IngestError(
                    "SFT dataset \(version): the re-created file does not match what was recorded at build time "
                        + "(SHA-256 \(actual.hex.prefix(16))…, \(lines.count) lines; recorded "
                        + "\(built.export.hex.prefix(16))…, \(built.lines) lines)")
            }
            return size
        }

        /// The metadata file's bytes (combined datasets), nil for built ones.
        public func metadata(log: EventLog) throws -> [UInt8]? {
            try built.metadata.map { try log.blob($0) }
        }
    }

    /// Finds `name` (`NAME` for the latest version, `NAME@N` for version N) and its lines' blobs; an unknown name
    /// or version is `NameError(.notFound)`.
    ///
    /// `order: .ingest` puts the lines in the listing order recorded with their trajectories when the run was
    /// ingested (a line keeps its build order among lines of equal position); it throws `IngestError` for a
    /// combined set (its order is combine's shuffle) and for lines whose trajectory has no recorded position
    /// (recorded before smithlog kept it, or a line not made from a trajectory).
    public static func source(name: String, log: EventLog, order: Order = .id) throws -> Source {
        let wanted = VersionedName(parsing: name)
        let version = try log.resolve(wanted, .sft, as: SftDatasetBuilt.self)
        let built = version.head
        // Lines point at their build by the head's stored id.
        var digests: [SampleLine] = []
        try log.forEach(FtSampleEmitted.self, stream: StreamName.sft(wanted.name)) { _, sample in
            if sample.build == version.record.id {
                digests.append(SampleLine(position: sample.position, line: sample.line, trajectory: sample.trajectory))
            }
            return true
        }
        digests.sort { $0.position < $1.position }
        if order == .ingest {
            digests = try ingestOrder(digests, built: built, version: version.label(wanted.name), log: log)
        }
        let stem = built.fileName.hasSuffix(".jsonl") ? String(built.fileName.dropLast(6)) : built.fileName
        return Source(
            version: version.label(wanted.name), fileName: built.fileName,
            metadataFileName: built.metadata == nil ? nil : "metadata__\(stem).json", lines: digests.map(\.line),
            built: built, order: order)
    }

    /// Exports `name` whole, in memory (see ``source(name:log:)`` to stream it instead).
    public static func run(name: String, log: EventLog) throws -> Export {
        let source = try source(name: name, log: log)
        var jsonl: [UInt8] = []
        try source.forEachLine(log: log) { line, _ in jsonl += line }
        return Export(
            version: source.version, fileName: source.fileName, jsonl: jsonl, metadata: try source.metadata(log: log),
            metadataFileName: source.metadataFileName)
    }

    static func outputPaths(
        output: String?, fileName: String, metadataFileName: String?, version: String
    ) throws -> (jsonl: String, metadata: String?) {
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
