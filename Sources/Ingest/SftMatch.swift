import Foundation
import SmithDomain
import SmithStore

/// Which recorded SFT dataset version a torchtune config's `dataset.data_files` names.
///
/// When the file exists (as given, or next to the config), its SHA-256 decides: it must equal a recorded
/// export's, and a file whose bytes match no export is unknown even when its name matches one, since it is
/// not the data we recorded. When the file is not here, its base name is matched against the exports' names.
/// The match is the exact version (`NAME@N`), so a later version of the name does not change what a checkpoint
/// trained on.
struct SftMatch {
    /// The SFT dataset version as `NAME@N`, nil when unknown.
    var dataset: String?
    /// How it was matched: `sha256`, `file-name` or `unknown` (the values of CheckpointSaved's `sft_match`).
    var method: String
    /// Why it is unknown, for the note on stderr; nil when matched.
    var whyUnknown: String?

    static func find(dataFile: String?, configPath: String, log: EventLog) throws -> SftMatch {
        guard let dataFile else {
            return SftMatch(dataset: nil, method: "unknown", whyUnknown: "the config names no dataset.data_files")
        }
        let fileName = FileReading.baseName(dataFile)
        let nextToConfig = (configPath as NSString).deletingLastPathComponent + "/" + dataFile
        let candidates = dataFile.hasPrefix("/") ? [dataFile] : [dataFile, nextToConfig]
        // Every recorded version, in log order: (label, export hash, file name, retracted or not).
        var versions: [String: Int] = [:]
        var recorded: [(label: String, export: Digest, fileName: String)] = []
        try log.forEach(SftDatasetBuilt.self) { _, built in
            let n = (versions[built.name] ?? 0) + 1
            versions[built.name] = n
            recorded.append(("\(built.name)@\(n)", built.export, built.fileName))
            return true
        }
        if let path = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0) && !FileReading.isDirectory($0)
        }) {
            let sha = try FileReading.sha256(path)
            // Identical exports can exist under several names: prefer the one whose file name matches, then the
            // latest recorded.
            let matching = recorded.filter { $0.export == sha }
            guard
                let found = matching.last(where: { $0.fileName == fileName }) ?? matching.last
            else {
                return SftMatch(
                    dataset: nil, method: "unknown",
                    whyUnknown: "\(path) (SHA-256 \(sha.hex.prefix(12))…) matches no recorded SFT export")
            }
            return SftMatch(dataset: found.label, method: "sha256", whyUnknown: nil)
        }
        guard let byName = recorded.last(where: { $0.fileName == fileName }) else {
            return SftMatch(
                dataset: nil, method: "unknown",
                whyUnknown: "\(dataFile) is not here and no recorded SFT export is named \(fileName)")
        }
        return SftMatch(dataset: byName.label, method: "file-name", whyUnknown: nil)
    }
}
