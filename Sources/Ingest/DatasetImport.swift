import Foundation
import SmithDomain
import SmithJSON
import SmithReaders
public import SmithStore

/// `smithlog dataset import`: a SWE-smith or SWE-bench dataset file (JSON array or JSONL) into the log.
///
/// Records one InstanceRegistered per row (the row's exact bytes as its blob, kept in a pack with its
/// neighbours) and then one
/// DatasetImported. The file is validated whole before anything is written, so a bad row refuses
/// the file with nothing recorded.
public enum DatasetImport {
    /// Imports `file` as dataset `name` (default: the file name without extension).
    ///
    /// The same file again adds nothing (the report says which version holds it). Another file under a recorded
    /// name is refused with one line unless `newVersion`, which records it as the next version.
    public static func run(
        file: String, name: String?, newVersion: Bool = false, log: EventLog, progress: IngestProgress? = nil
    ) throws
        -> IngestReport
    {
        // The file is mapped, not read: both passes walk it front to back and hand back the pages behind them
        // (see MappedFileBytes), so an import's memory is a window of the file, not the file, however big it is.
        let mapped = try FileReading.mapped(file)
        let fileSize = mapped.bytes.count
        let datasetName = name ?? defaultName(file)
        guard !datasetName.isEmpty else { throw IngestError("\(file): cannot derive a dataset name; pass --name") }
        try log.checkNewName(
            datasetName, .dataset, field: name == nil ? "the dataset name taken from the file name" : "--name",
            hint: name == nil ? "pass --name NAME" : nil)
        try EventValidation.name(datasetName, name == nil ? "the dataset name taken from the file name" : "--name")
        try refuseYAML(mapped, file: file)
        let format = try DatasetReader.format(of: mapped)

        // Pass 1 validates every row (as the events it will become) and counts them; nothing is written if any
        // row is bad.
        let (total, fileDigest) = try validate(mapped, file: file, dataset: datasetName)
        let imported = DatasetImported(
            name: datasetName, fileName: FileReading.baseName(file), sha256: fileDigest,
            format: format == .jsonLines ? "jsonl" : "json", rows: total)
        let head = try imported.newEvent()
        let decision = try NameDecision<DatasetImported>(
            .dataset, datasetName, log: log, newVersion: newVersion,
            sameContent: { $0.head.sha256 == fileDigest },
            describe: { "file sha256 \(shortHash($0.head.sha256)), \($0.head.rows) rows" })
        if decision.existing != nil {
            // Its rows were all appended before its DatasetImported: nothing of this file is missing.
            var report = IngestReport()
            report.alreadyRecorded = total + 1
            report.artifacts = total
            report.bytesRead = fileSize
            report.version = decision.label
            report.versionAlreadyRecorded = true
            return report
        }

        // A transaction's dirty LMDB pages are held in memory until it commits, and with ids spread over a big
        // store nearly every event dirties a page of its own: 1,000 events keep that to a few MB (4,000 held
        // some 15 MB more at 200k rows than at 50k) and cost no measurable time.
        let batcher = ArtifactBatcher(log: log, claim: decision.claim, maxEvents: 1000)
        batcher.addBytesRead(fileSize)
        var pending: [DatasetRow] = []
        var done = 0
        // Rows are stored in packs of neighbours (see PreparedBlobPack): a repository's rows sit together in
        // SWE-smith's files and repeat each other, so a pack compresses several times better than its rows alone.
        // A pack and its rows' events commit together. Events are built (and their ids hashed) on all cores with
        // their pack.
        func flushRows() throws {
            let groups = PreparedBlobPack.groups(of: pending.map(\.raw.count))
            let prepared = ParallelMap.map(groups) { group -> Result<(PreparedBlobPack, [NewEvent]), any Error> in
                let pack = PreparedBlobPack(group.map { pending[$0].raw })
                return Result {
                    let events = try zip(pending[group], pack.members).map { row, blob in
                        try registered(row, dataset: datasetName, digest: blob.digest).newEvent()
                    }
                    return (pack, events)
                }
            }
            for outcome in prepared {
                let (pack, events) = try outcome.get()
                try batcher.add(events, blobs: pack.blobs, artifacts: events.count)
            }
            done += pending.count
            pending.removeAll(keepingCapacity: true)
            progress?(done, total, fileSize * done / total)
        }
        var pendingBytes = 0
        try DatasetReader.forEachRow(in: mapped) { row in
            pending.append(row)
            pendingBytes += row.raw.count
            // Two whole packs (see PreparedBlobPack.groups), so both cores compress.
            if pendingBytes >= 32 << 20 || pending.count == 8192 {
                try flushRows()
                pendingBytes = 0
            }
        }
        try flushRows()
        try batcher.add([head], blobs: [])
        try batcher.flush()
        var report = batcher.report
        report.version = decision.label
        return report
    }

    /// Pass 1: reads every row (so a bad one refuses the file before anything is written), checks the ids are
    /// unique, and hashes the file window by window as the walk hands its bytes over (every byte once, in order).
    /// Returns the number of rows and the file's SHA-256.
    ///
    /// Ids are remembered as 128-bit keys (16 bytes each, against some 80 for a `String`: the set was the one
    /// part of pass 1 that grew with the file). Equal keys only suspect a repeat; the id then named is found
    /// exactly, with strings, by `firstRepeatedId`.
    private static func validate(
        _ mapped: MappedFileBytes, file: String, dataset: String
    ) throws -> (rows: Int, digest: Digest) {
        var total = 0
        var seen = Set<IdKey>()
        var suspect = false
        var hasher = SHA256Hasher()
        let placeholder = Digest.sha256([])
        try DatasetReader.forEachRow(in: mapped, consumed: { hasher.update($0) }) { row in
            total += 1
            do {
                try registered(row, dataset: dataset, digest: placeholder).validate()
            } catch let error as EventValidationError {
                // `InstanceRegistered.instance_id` → the row's key, `$[i].instance_id`.
                let key = error.field.split(separator: ".").last.map(String.init) ?? error.field
                throw IngestError("\(file): $[\(row.index)].\(key): \(error.message)")
            }
            if row.hasMessages || !row.hasTaskFields { throw notTaskInstance(row, file: file) }
            if !seen.insert(IdKey(row.instanceId)).inserted { suspect = true }
        }
        seen = []
        if suspect, let duplicate = try firstRepeatedId(mapped) {
            throw IngestError(
                "\(file): instance id '\(duplicate)' appears more than once; a dataset's ids must be unique")
        }
        guard total > 0 else { throw IngestError("\(file): the dataset has no rows") }
        return (total, hasher.finalize())
    }

    /// Refuses a YAML file (a torchtune or SWE-agent config given by mistake) with one line saying so, instead of
    /// the JSON reader's complaint about its first character.
    ///
    /// A file is taken for YAML when it is named `.yaml`/`.yml`, or when it does not start like JSON (`[` or `{`)
    /// and its first line that is neither blank nor a `#` comment is `---` or a `key:` mapping entry.
    private static func refuseYAML(_ mapped: MappedFileBytes, file: String) throws {
        let lower = file.lowercased()
        let named = lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
        let head = Array(mapped.bytes.prefix(64 << 10))
        let text = String(decoding: head, as: UTF8.self)
        var looksLikeYAML = false
        if let first = text.first(where: { !$0.isWhitespace }), first != "[", first != "{" {
            for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                looksLikeYAML = line.hasPrefix("---") || isMappingEntry(line)
                break
            }
        }
        guard named || looksLikeYAML else { return }
        throw IngestError(
            "\(file): a YAML file, not a dataset (expected task instances as a JSON array or JSON Lines)")
    }

    /// `key:` or `key: value` with a plain key (letters, digits, `_`, `-`, `.`).
    private static func isMappingEntry(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return false }
        let key = line[..<colon]
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
            return false
        }
        let after = line[line.index(after: colon)...]
        return after.isEmpty || after.first == " "
    }

    /// The refusal of a row that has an `instance_id` but is not a task instance (an SFT line, a prediction).
    private static func notTaskInstance(_ row: DatasetRow, file: String) -> IngestError {
        let expected = "expected a task instance (instance_id with repo, patch, FAIL_TO_PASS, PASS_TO_PASS, ...)"
        if row.hasMessages {
            return IngestError(
                "\(file): $[\(row.index)]: \(expected), found a chat with messages (an SFT line?); "
                    + "this file is not a dataset of task instances")
        }
        return IngestError(
            "\(file): $[\(row.index)]: \(expected), found an object with none of those keys; "
                + "this file is not a dataset of task instances")
    }

    /// The first row's id that an earlier row already has, compared as strings; `nil` when all differ.
    private static func firstRepeatedId(_ mapped: MappedFileBytes) throws -> String? {
        var seen = Set<String>()
        var duplicate: String?
        try DatasetReader.forEachRow(in: mapped) { row in
            if duplicate == nil && !seen.insert(row.instanceId).inserted { duplicate = row.instanceId }
        }
        return duplicate
    }

    /// An instance id as the first 128 bits of its SHA-256, for the duplicate check of pass 1.
    private struct IdKey: Hashable {
        let high: UInt64
        let low: UInt64

        init(_ id: String) {
            var hasher = SHA256Hasher()
            hasher.update(id)
            let digest = hasher.finalize()
            (high, low) = digest.withUnsafeBytes {
                ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        }
    }

    /// The row's InstanceRegistered: its id is the stream name and its SHA-256 the blob.
    static func registered(_ row: DatasetRow, dataset: String, digest: Digest) -> InstanceRegistered {
        InstanceRegistered(
            instanceID: row.instanceId, row: digest, dataset: dataset, position: row.index, repo: row.repo,
            bugType: row.bugType, failToPassCount: row.failToPassCount ?? 0, passToPassCount: row.passToPassCount ?? 0,
            imageName: row.imageName, createdAt: row.createdAt)
    }

    /// `swesmith-sample.json` → `swesmith-sample`.
    static func defaultName(_ file: String) -> String {
        var base = FileReading.baseName(file)
        for ext in [".jsonl", ".json"] where base.hasSuffix(ext) {
            base.removeLast(ext.count)
            break
        }
        return base
    }
}
