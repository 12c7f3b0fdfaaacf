import Foundation
import SmithDomain
import SmithJSON
public import SmithProjections
import SmithReaders
public import SmithStore

/// `smithlog checkpoint record`: a torchtune checkpoint, its config, and the SFT dataset it trained on.
///
/// The dataset is matched by the SHA-256 of the file `dataset.data_files` names (when it exists) against
/// the recorded exports, else by file name; a config matching none is recorded with `sft_match: unknown`.
public enum CheckpointRecord {
    public struct Options: Sendable {
        public var config: String
        public var epoch: Int?
        public var dir: String?
        public var name: String?
        public var hashFiles: Bool

        public init(config: String, epoch: Int?, dir: String?, name: String?, hashFiles: Bool) {
            self.config = config
            self.epoch = epoch
            self.dir = dir
            self.name = name
            self.hashFiles = hashFiles
        }
    }

    public struct Result: Sendable {
        public var report: IngestReport
        public var name: String
        public var sftDataset: String?
        public var match: String
    }

    public static func run(_ o: Options, log: EventLog, projections: ProjectionEngine) throws -> Result {
        let bytes = try FileReading.bytes(o.config)
        let config = try TorchtuneConfigReader.read(atPath: o.config)
        try projections.catchUp(log: log)
        var sft: String?
        var match = "unknown"
        if let dataFile = config.dataFiles.first {
            let candidates = [dataFile, (o.config as NSString).deletingLastPathComponent + "/" + dataFile]
            if let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                let sha = Digest.sha256(try FileReading.bytes(path)).hex
                // Identical exports can exist under several names: prefer the one whose file name matches.
                let fileName = SQLText.literal(FileReading.baseName(dataFile))
                sft = try projections.query(
                    sql: "SELECT name FROM sft_datasets WHERE export_sha256 = \(SQLText.literal(sha))"
                        + " ORDER BY file_name = \(fileName) DESC, seq DESC"
                ).rows.first?.first?.stringValue
                if sft != nil { match = "sha256" }
            }
            if sft == nil {
                sft = try projections.query(
                    sql:
                        "SELECT name FROM sft_datasets WHERE file_name = \(SQLText.literal(FileReading.baseName(dataFile)))"
                        + " ORDER BY seq DESC"
                ).rows.first?.first?.stringValue
                if sft != nil { match = "file-name" }
            }
        }
        var files: [JSONValue] = []
        if let dir = o.dir {
            guard FileReading.isDirectory(dir) else { throw IngestError("--dir \(dir): not a folder") }
            let entries = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
            for rel in entries {
                let full = dir + "/" + rel
                guard !FileReading.isDirectory(full) else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
                var sha: JSONValue = .null
                if o.hashFiles { sha = .string(try FileHashing.sha256(ofFileAt: full).hex) }
                files.append(.object([("path", .string(rel)), ("size", .int(size ?? 0)), ("sha256", sha)]))
            }
        }
        let configBlob = PreparedBlob(bytes)
        let base = FileReading.baseName(o.config).split(separator: ".").first.map(String.init) ?? "checkpoint"
        let name = o.name ?? base + (o.epoch.map { "-epoch\($0)" } ?? "")
        var p = PayloadBuilder()
        p.set("name", name)
        p.set("config", config.config)
        p.set("config_sha256", configBlob.digest.hex)
        p.set("base_model", config.baseModel)
        p.set("lr", config.learningRate)
        p.set("epochs", config.epochs)
        p.set("batch_size", config.batchSize)
        p.set("gradient_accumulation_steps", config.gradientAccumulationSteps)
        p.set("max_seq_len", config.maxSeqLen)
        p.set("data_files", config.dataFiles.first)
        p.set("sft_dataset", sft)
        p.set("sft_match", match)
        p.set("epoch", o.epoch)
        p.set("dir", o.dir)
        p.set("files", .array(files))
        let batcher = ArtifactBatcher(log: log)
        try batcher.add(
            [
                DomainEvent(
                    .checkpointSaved, stream: StreamName.checkpoint(name), payload: p.value,
                    blobs: [configBlob.digest])
            ],
            blobs: [configBlob])
        try batcher.flush()
        return Result(report: batcher.report, name: name, sftDataset: sft, match: match)
    }
}

/// SHA-256 of a file read in chunks, so multi-GB safetensors shards never sit in memory whole.
enum FileHashing {
    static func sha256(ofFileAt path: String) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw IngestError("\(path): cannot read") }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        while true {
            let chunk = handle.readData(ofLength: 1 << 22)
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }
}
