import Foundation
import SmithDomain
import SmithJSON
import SmithReaders
import SmithStore

/// The recorded checkpoint a torchtune config starts from: the one whose folder `checkpointer.checkpoint_dir`
/// names (a DPO stage after SFT loads the SFT checkpoint's `epoch_N/` folder).
///
/// A recorded checkpoint's folder is its `--dir` (as given then, and made absolute now), else its config's
/// `checkpointer.output_dir` + `/epoch_<epoch>` (where torchtune saves each epoch), else that `output_dir` itself
/// (torchtune before 0.5 saved every epoch there). The first of these that matches wins, and among checkpoints
/// matching alike the one recorded last. The match is the exact version (`NAME@N`).
struct CheckpointParent {
    var label: String
    var baseModel: String?

    static func find(checkpointDir: String?, log: EventLog) throws -> CheckpointParent? {
        guard let checkpointDir else { return nil }
        let wanted = forms(checkpointDir)
        var versions: [String: Int] = [:]
        var best: (rank: Int, parent: CheckpointParent)?
        try log.forEach(CheckpointSaved.self) { _, saved in
            let n = (versions[saved.name] ?? 0) + 1
            versions[saved.name] = n
            for (rank, folder) in folders(of: saved).enumerated() where !forms(folder).isDisjoint(with: wanted) {
                if best == nil || rank <= best!.rank {
                    best = (rank, CheckpointParent(label: "\(saved.name)@\(n)", baseModel: saved.baseModel))
                }
                break
            }
            return true
        }
        return best?.parent
    }

    /// A recorded checkpoint's folders, most exact first: its `--dir`, `<output_dir>/epoch_<epoch>`, `<output_dir>`.
    /// A slot that does not apply is an empty string, so the rank of a match stays its place in this list.
    static func folders(of saved: CheckpointSaved) -> [String] {
        let outputDir = (try? TorchtuneConfigReader.config(from: saved.config, file: saved.name)).flatMap {
            $0.checkpointerOutputDir ?? $0.outputDir
        }
        return [
            saved.dir ?? "", outputDir.flatMap { dir in saved.epoch.map { dir + "/epoch_\($0)" } } ?? "",
            outputDir ?? "",
        ]
    }

    /// A path as written (without trailing slashes, `//` and `.` parts) and, when relative, made absolute against
    /// the current folder: the forms two mentions of one folder are compared in.
    static func forms(_ path: String) -> Set<String> {
        guard !path.isEmpty else { return [] }
        let tidy = (path as NSString).standardizingPath
        var out: Set<String> = [tidy]
        if !tidy.hasPrefix("/") {
            out.insert(
                ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(tidy) as NSString)
                    .standardizingPath)
        }
        return out
    }
}

/// The data file of a preference dataset (a DPO recipe's `preference_dataset` with `source: json`): its SHA-256.
enum PreferenceData {
    /// The data file's path (as given, or next to the config) and SHA-256; nil when the config names none or it is
    /// not here.
    static func hash(_ dataFile: String?, configPath: String) throws -> (path: String, sha256: Digest)? {
        guard let dataFile else { return nil }
        let nextToConfig = (configPath as NSString).deletingLastPathComponent + "/" + dataFile
        let candidates = dataFile.hasPrefix("/") ? [dataFile] : [dataFile, nextToConfig]
        guard
            let path = candidates.first(where: {
                FileManager.default.fileExists(atPath: $0) && !FileReading.isDirectory($0)
            })
        else { return nil }
        return (path, try FileReading.sha256(path))
    }
}
