import Foundation
import SmithDomain
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
        /// Record other content under a recorded name as its next version instead of refusing it.
        public var newVersion: Bool

        public init(
            config: String, epoch: Int?, dir: String?, name: String?, hashFiles: Bool, newVersion: Bool = false
        ) {
            self.config = config
            self.epoch = epoch
            self.dir = dir
            self.name = name
            self.hashFiles = hashFiles
            self.newVersion = newVersion
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

    /// Records one CheckpointSaved, or throws a one-line error and records nothing.
    ///
    /// A data file matching no recorded SFT dataset is not an error: `Result.match` is then "unknown". The same
    /// config, epoch and folder again add nothing; another under a recorded name is refused unless `newVersion`.
    public static func run(_ o: Options, log: EventLog) throws -> Result {
        // The reader first: it refuses special files and files too big for a config before anything is read.
        let config = try TorchtuneConfigReader.read(atPath: o.config)
        let bytes = try FileReading.bytes(o.config)
        let match = try SftMatch.find(dataFile: config.dataFiles.first, configPath: o.config, log: log)
        var files: [CheckpointSaved.File] = []
        if let dir = o.dir {
            guard FileReading.isDirectory(dir) else { throw IngestError("--dir \(dir): not a folder") }
            let entries = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
            for rel in entries {
                let full = dir + "/" + rel
                // Folders hold the files listed; FIFOs, sockets and devices are no checkpoint's content.
                guard FileReading.isRegularFile(full) else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? nil
                let sha = o.hashFiles ? try FileHashing.sha256(ofFileAt: full).hex : nil
                files.append(CheckpointSaved.File(path: rel, size: size, sha256: sha))
            }
        }
        let epoch = o.epoch ?? o.dir.flatMap(Self.epoch(ofFolder:))
        let configBlob = PreparedBlob(bytes)
        let base = FileReading.baseName(o.config).split(separator: ".").first.map(String.init) ?? "checkpoint"
        let name = o.name ?? base + (epoch.map { "-epoch\($0)" } ?? "")
        try log.checkNewName(
            name, .checkpoint, field: o.name == nil ? "the checkpoint name taken from the config file name" : "--name",
            hint: o.name == nil ? "pass --name NAME" : nil)
        let saved = try CheckpointSaved(
            name: name, config: config.config, configSHA256: configBlob.digest, baseModel: config.baseModel,
            learningRate: config.learningRate, epochs: config.epochs, batchSize: config.batchSize,
            gradientAccumulationSteps: config.gradientAccumulationSteps, maxSeqLen: config.maxSeqLen,
            dataFiles: config.dataFiles.first, sftDataset: match.dataset, sftMatch: match.method, epoch: epoch,
            dir: o.dir, files: files
        ).newEvent()
        let decision = try NameDecision<CheckpointSaved>(
            .checkpoint, name, log: log, newVersion: o.newVersion,
            sameContent: {
                $0.head.configSHA256 == configBlob.digest && $0.head.epoch == epoch && $0.head.dir == o.dir
            },
            describe: { v in
                "config sha256 \(shortHash(v.head.configSHA256)), epoch \(v.head.epoch.map(String.init) ?? "none")"
                    + (v.head.dir.map { ", dir \($0)" } ?? "")
            })
        if let existing = decision.existing {
            var report = IngestReport()
            report.alreadyRecorded = 1
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return Result(
                report: report, name: name, sftDataset: existing.head.sftDataset, match: existing.head.sftMatch,
                whyUnknown: nil)
        }
        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        try batcher.add([saved], blobs: [configBlob])
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        return Result(
            report: report, name: name, sftDataset: match.dataset, match: match.method, whyUnknown: match.whyUnknown)
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
        let (descriptor, _) = try FileReading.open(path)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var hasher = SHA256Hasher()
        while true {
            let chunk = handle.readData(ofLength: 1 << 22)
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }
}
