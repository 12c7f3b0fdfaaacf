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
    /// What `checkpoint record` was asked. `epoch` defaults to N of a `--dir` named `epoch_N` (torchtune's
    /// layout); `hashFiles` reads every file of `dir` once more to record its SHA-256.
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

    /// What was recorded: the checkpoint's name, the SFT dataset matched (nil when unknown) and how.
    public struct Result: Sendable {
        public var report: IngestReport
        public var name: String
        public var sftDataset: String?
        public var match: String
        /// Why the SFT dataset is unknown (for a note on stderr); nil when it was matched.
        public var whyUnknown: String?
    }

    /// Records one CheckpointSaved, or throws a one-line `IngestError` and records nothing.
    ///
    /// A data file matching no recorded SFT dataset is not an error: `Result.match` is then "unknown".
    public static func run(_ o: Options, log: EventLog, projections: ProjectionEngine) throws -> Result {
        let bytes = try FileReading.bytes(o.config)
        let config = try TorchtuneConfigReader.read(atPath: o.config)
        try projections.catchUp(log: log)
        let match = try SftMatch.find(dataFile: config.dataFiles.first, configPath: o.config, projections: projections)
        var files: [JSONValue] = []
        if let dir = o.dir {
            guard FileReading.isDirectory(dir) else { throw IngestError("--dir \(dir): not a folder") }
            let entries = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
            for rel in entries {
                let full = dir + "/" + rel
                guard !FileReading.isDirectory(full) else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? nil
                var sha: JSONValue = .null
                if o.hashFiles { sha = .string(try FileHashing.sha256(ofFileAt: full).hex) }
                files.append(
                    .object([("path", .string(rel)), ("size", size.map { .int($0) } ?? .null), ("sha256", sha)]))
            }
        }
        let epoch = o.epoch ?? o.dir.flatMap(Self.epoch(ofFolder:))
        let configBlob = PreparedBlob(bytes)
        let base = FileReading.baseName(o.config).split(separator: ".").first.map(String.init) ?? "checkpoint"
        let name = o.name ?? base + (epoch.map { "-epoch\($0)" } ?? "")
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
        p.set("sft_dataset", match.dataset)
        p.set("sft_match", match.method)
        p.set("epoch", epoch)
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
        return Result(
            report: batcher.report, name: name, sftDataset: match.dataset, match: match.method,
            whyUnknown: match.whyUnknown)
    }
}

extension CheckpointRecord {
    /// `.../epoch_3` → 3: torchtune saves each epoch's checkpoint in `<output_dir>/epoch_<N>/`.
    static func epoch(ofFolder dir: String) -> Int? {
        var base = Substring(dir)
        while base.hasSuffix("/") { base = base.dropLast() }
        let name = base.split(separator: "/").last ?? ""
        guard name.hasPrefix("epoch_") else { return nil }
        return Int(name.dropFirst("epoch_".count))
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
