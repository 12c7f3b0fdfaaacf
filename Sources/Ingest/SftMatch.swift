import Foundation
import SmithProjections
import SmithStore

/// Which recorded SFT dataset a torchtune config's `dataset.data_files` names.
///
/// When the file exists (as given, or next to the config), its SHA-256 decides: it must equal a recorded
/// export's, and a file whose bytes match no export is unknown even when its name matches one, since it is
/// not the data we recorded. When the file is not here, its base name is matched against the exports' names.
struct SftMatch {
    /// The SFT dataset's name, nil when unknown.
    var dataset: String?
    /// How it was matched: `sha256`, `file-name` or `unknown` (the values of CheckpointSaved's `sft_match`).
    var method: String
    /// Why it is unknown, for the note on stderr; nil when matched.
    var whyUnknown: String?

    static func find(dataFile: String?, configPath: String, projections: ProjectionEngine) throws -> SftMatch {
        guard let dataFile else {
            return SftMatch(dataset: nil, method: "unknown", whyUnknown: "the config names no dataset.data_files")
        }
        let fileName = FileReading.baseName(dataFile)
        let nextToConfig = (configPath as NSString).deletingLastPathComponent + "/" + dataFile
        let candidates = dataFile.hasPrefix("/") ? [dataFile] : [dataFile, nextToConfig]
        if let path = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0) && !FileReading.isDirectory($0)
        }) {
            let sha = try FileHashing.sha256(ofFileAt: path).hex
            // Identical exports can exist under several names: prefer the one whose file name matches.
            let found = try projections.query(
                sql: """
                    SELECT name FROM sft_datasets WHERE export_sha256 = \(SQLText.literal(sha))
                    ORDER BY file_name = \(SQLText.literal(fileName)) DESC, seq DESC
                    """
            ).rows.first?.first?.stringValue
            guard let found else {
                return SftMatch(
                    dataset: nil, method: "unknown",
                    whyUnknown: "\(path) (SHA-256 \(sha.prefix(12))…) matches no recorded SFT export")
            }
            return SftMatch(dataset: found, method: "sha256", whyUnknown: nil)
        }
        let byName = try projections.query(
            sql: "SELECT name FROM sft_datasets WHERE file_name = \(SQLText.literal(fileName)) ORDER BY seq DESC"
        ).rows.first?.first?.stringValue
        guard let byName else {
            return SftMatch(
                dataset: nil, method: "unknown",
                whyUnknown: "\(dataFile) is not here and no recorded SFT export is named \(fileName)")
        }
        return SftMatch(dataset: byName, method: "file-name", whyUnknown: nil)
    }
}
