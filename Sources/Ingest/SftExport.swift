import SmithJSON
public import SmithProjections
public import SmithStore

/// `smithlog sft export`: re-creates an SFT dataset's file from the log, checked against its recorded hash.
public enum SftExport {
    public struct Export: Sendable {
        public var fileName: String
        public var jsonl: [UInt8]
        /// `metadata__<name>.json` for combined datasets, as combine_trajs writes it.
        public var metadata: [UInt8]?
        public var metadataFileName: String?
    }

    public static func run(name: String, log: EventLog, projections: ProjectionEngine) throws -> Export {
        try projections.catchUp(log: log)
        let found = try projections.query(
            sql:
                "SELECT build, file_name, export_sha256, lines, seq FROM sft_datasets WHERE name = \(SQLText.literal(name))"
        )
        guard let row = found.rows.first, let build = row[0].stringValue, let fileName = row[1].stringValue,
            let expected = row[2].stringValue, let seq = row[4].int64Value
        else { throw IngestError("no SFT dataset named '\(name)' (see `smithlog sft list`)") }
        let samples = try projections.query(
            sql: """
                SELECT line_sha256 FROM sft_samples WHERE dataset = \(SQLText.literal(name))
                AND build = \(SQLText.literal(build)) ORDER BY position
                """)
        let digests = samples.rows.compactMap { $0[0].stringValue.flatMap(Digest.init(hex:)) }
        var jsonl: [UInt8] = []
        // A line stored against its trajectory costs a trajectory's decompression to read: on all cores, in
        // chunks so memory stays bounded.
        var start = 0
        while start < digests.count {
            let chunk = Array(digests[start..<min(start + 32, digests.count)])
            start += chunk.count
            for line in ParallelMap.map(chunk, { digest in Result { try log.blob(digest) } }) {
                jsonl += try line.get()
            }
        }
        let actual = Digest.sha256(jsonl).hex
        guard actual == expected, samples.rows.count == Int(row[3].int64Value ?? -1) else {
            throw IngestError(
                "SFT dataset '\(name)': the re-created file does not match what was recorded at build time "
                    + "(SHA-256 \(actual.prefix(16))…, \(samples.rows.count) lines; recorded \(expected.prefix(16))…, "
                    + "\(row[3].int64Value ?? -1) lines)")
        }
        var metadata: [UInt8]?
        let built = try log.event(seq: UInt64(seq))
        if let hex = try built.payload()["metadata_sha256"]?.stringValue, let digest = Digest(hex: hex) {
            metadata = try log.blob(digest)
        }
        let stem = fileName.hasSuffix(".jsonl") ? String(fileName.dropLast(6)) : fileName
        return Export(
            fileName: fileName, jsonl: jsonl, metadata: metadata,
            metadataFileName: metadata == nil ? nil : "metadata__\(stem).json")
    }
}
