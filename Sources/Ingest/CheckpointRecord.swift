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
        /// A torchtune DiskLogger log (`log_<unix time>.txt`) to record as the training curve; nil: the one the
        /// config's DiskLogger wrote, when it is here.
        public var metrics: String?

        public init(
            config: String, epoch: Int?, dir: String?, name: String?, hashFiles: Bool, newVersion: Bool = false,
            metrics: String? = nil
        ) {
            self.config = config
            self.epoch = epoch
            self.dir = dir
            self.name = name
            self.hashFiles = hashFiles
            self.newVersion = newVersion
            self.metrics = metrics
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
        /// The checkpoint it was trained from (`NAME@N`), when recorded.
        public var parent: String?
        /// `preference` for a DPO recipe's preference data (then `match` is `none`), `sft` for SFT data.
        public var dataKind: String?
        /// The training curve recorded (`1200 steps, 8 metrics from log_1717171717.txt`), nil when none.
        public var curve: String?
        /// Further notes for stderr (why no curve was recorded, the preference data's hash).
        public var notes: [String] = []
    }

    /// Records one CheckpointSaved, or throws a one-line error and records nothing.
    ///
    /// A data file matching no recorded SFT dataset is not an error: `Result.match` is then "unknown". The same
    /// config, epoch and folder again add nothing; another under a recorded name is refused unless `newVersion`.
    public static func run(_ o: Options, log: EventLog) throws -> Result {
        // The reader first: it refuses special files and files too big for a config before anything is read.
        let config = try TorchtuneConfigReader.read(atPath: o.config)
        let bytes = try FileReading.bytes(o.config)
        // The curve before anything is recorded: a malformed log refuses the whole record.
        let found = try TrainingCurve.find(metrics: o.metrics, config: config, configPath: o.config)
        var notes = found.notes
        let data = try TrainingData.of(config, configPath: o.config, log: log)
        notes += data.notes
        let match = data.sftMatch
        let parent = try CheckpointParent.find(checkpointDir: config.checkpointDir, log: log)
        if parent == nil, let start = config.checkpointDir, let reference = config.refCheckpointDir,
            CheckpointParent.forms(start).isDisjoint(with: CheckpointParent.forms(reference))
        {
            // A DPO policy that does not start from the reference weights starts from a fine-tuned checkpoint.
            notes.append(
                "checkpointer.checkpoint_dir \(start) is no recorded checkpoint's folder; record that checkpoint "
                    + "first (with --dir) to link it as the parent")
        }
        // The weights' origin: a DPO recipe's reference model, else what the parent checkpoint started from.
        let baseModel = config.refCheckpointDir != nil ? config.baseModel : parent?.baseModel ?? config.baseModel
        var files: [CheckpointSaved.File] = []
        if let dir = o.dir {
            guard FileReading.isDirectory(dir) else { throw IngestError("--dir \(dir): not a folder") }
            let entries = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
            for rel in entries {
                let full = dir + "/" + rel
                // Folders hold the files listed; FIFOs, sockets and devices are no checkpoint's content.
                guard FileReading.isRegularFile(full) else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? nil
                let sha = o.hashFiles ? try FileReading.sha256(full).hex : nil
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
            name: name, config: config.config, configSHA256: configBlob.digest, baseModel: baseModel,
            learningRate: config.learningRate, epochs: config.epochs, batchSize: config.batchSize,
            gradientAccumulationSteps: config.gradientAccumulationSteps, maxSeqLen: config.maxSeqLen,
            dataFiles: config.dataFiles.first, sftDataset: match.dataset, sftMatch: match.method, epoch: epoch,
            dir: o.dir, files: files, dataKind: data.kind, dataSHA256: data.sha256, parentCheckpoint: parent?.label
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
        let curveEvents = try found.curve?.events(checkpoint: name, version: decision.version) ?? []
        let curveBlobs = found.curve.map { [$0.blob] } ?? []
        if let existing = decision.existing {
            // The checkpoint is recorded; a curve given now is added to that version (each chunk once).
            var report = IngestReport()
            if !curveEvents.isEmpty {
                let batcher = ArtifactBatcher(log: log, claim: decision.claim)
                try batcher.add(curveEvents, blobs: curveBlobs)
                try batcher.flush()
                report = batcher.report
            }
            report.alreadyRecorded += 1
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return Result(
                report: report, name: name, sftDataset: existing.head.sftDataset, match: existing.head.sftMatch,
                whyUnknown: nil, parent: existing.head.parentCheckpoint, dataKind: existing.head.dataKind,
                curve: found.curve?.summary, notes: notes)
        }
        let batcher = ArtifactBatcher(log: log, claim: decision.claim)
        // The checkpoint and its curve are one artifact: both commit or neither.
        try batcher.add([saved] + curveEvents, blobs: [configBlob] + curveBlobs)
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        return Result(
            report: report, name: name, sftDataset: match.dataset, match: match.method, whyUnknown: match.whyUnknown,
            parent: parent?.label, dataKind: data.kind, curve: found.curve?.summary, notes: notes)
    }
}

/// What a config trained on: SFT data (matched to a recorded SFT dataset) or a DPO recipe's preference data
/// (recorded by its file's SHA-256; there is no SFT dataset to match).
struct TrainingData {
    var kind: String?
    var sha256: Digest?
    var sftMatch: SftMatch
    var notes: [String]

    static func of(_ config: TorchtuneConfig, configPath: String, log: EventLog) throws -> TrainingData {
        let dataFile = config.dataFiles.first
        guard config.isPreferenceDataset else {
            let match = try SftMatch.find(dataFile: dataFile, configPath: configPath, log: log)
            return TrainingData(kind: dataFile == nil ? nil : "sft", sha256: nil, sftMatch: match, notes: [])
        }
        let none = SftMatch(dataset: nil, method: "none", whyUnknown: nil)
        let component = config.datasetComponent ?? "a preference dataset"
        if let found = try PreferenceData.hash(dataFile, configPath: configPath) {
            return TrainingData(
                kind: "preference", sha256: found.sha256, sftMatch: none,
                notes: ["preference data: \(found.path) (SHA-256 \(found.sha256.hex.prefix(12))…)"])
        }
        let why =
            dataFile.map { "preference data \($0) is not here; recorded without its hash" }
            ?? "preference data from \(component) (no data file named; recorded without a hash)"
        return TrainingData(kind: "preference", sha256: nil, sftMatch: none, notes: [why])
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
