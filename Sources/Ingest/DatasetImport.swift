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
    public static func run(
        file: String, name: String?, log: EventLog, progress: IngestProgress? = nil
    ) throws
        -> IngestReport
    {
        // The file is mapped, not read: both passes walk it front to back and hand back the pages behind them
        // (see MappedFileBytes), so an import's memory is a window of the file, not the file, however big it is.
        let mapped = try FileReading.mapped(file)
        let fileSize = mapped.bytes.count
        let datasetName = name ?? defaultName(file)
        guard !datasetName.isEmpty else { throw IngestError("\(file): cannot derive a dataset name; pass --name") }
        let format = try DatasetReader.format(of: mapped)

        // Pass 1 validates every row and counts them; nothing is written if any row is bad.
        let (total, fileDigest) = try validate(mapped, file: file)

        // A transaction's dirty LMDB pages are held in memory until it commits, and with ids spread over a big
        // store nearly every event dirties a page of its own: 1,000 events keep that to a few MB (4,000 held
        // some 15 MB more at 200k rows than at 50k) and cost no measurable time.
        let batcher = ArtifactBatcher(log: log, maxEvents: 1000)
        batcher.addBytesRead(fileSize)
        var pending: [DatasetRow] = []
        var done = 0
        // Rows are stored in packs of neighbours (see PreparedBlobPack): a repository's rows sit together in
        // SWE-smith's files and repeat each other, so a pack compresses several times better than its rows alone.
        // A pack and its rows' events commit together.
        func flushRows() throws {
            let groups = PreparedBlobPack.groups(of: pending.map(\.raw.count))
            let packs = ParallelMap.map(groups) { group in PreparedBlobPack(group.map { pending[$0].raw }) }
            for (group, pack) in zip(groups, packs) {
                let events = zip(pending[group], pack.members).map { row, blob in
                    registered(row, dataset: datasetName, digest: blob.digest)
                }
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
        var p = PayloadBuilder()
        p.set("name", datasetName)
        p.set("file_name", FileReading.baseName(file))
        p.set("sha256", fileDigest.hex)
        p.set("format", format == .jsonLines ? "jsonl" : "json")
        p.set("rows", total)
        try batcher.add(
            [DomainEvent(.datasetImported, stream: StreamName.dataset(datasetName), payload: p.value)],
            blobs: [])
        try batcher.flush()
        return batcher.report
    }

    /// Pass 1: reads every row (so a bad one refuses the file before anything is written), checks the ids are
    /// unique, and hashes the file window by window as the walk hands its bytes over (every byte once, in order).
    /// Returns the number of rows and the file's SHA-256.
    ///
    /// Ids are remembered as 128-bit keys (16 bytes each, against some 80 for a `String`: the set was the one
    /// part of pass 1 that grew with the file). Equal keys only suspect a repeat; the id then named is found
    /// exactly, with strings, by `firstRepeatedId`.
    private static func validate(_ mapped: MappedFileBytes, file: String) throws -> (rows: Int, digest: Digest) {
        var total = 0
        var seen = Set<IdKey>()
        var suspect = false
        var hasher = SHA256Hasher()
        try DatasetReader.forEachRow(in: mapped, consumed: { hasher.update($0) }) { row in
            total += 1
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

    /// The row's InstanceRegistered (schema version 2): its id is the stream name and its SHA-256 the blob,
    /// so the payload does not repeat them (they were a quarter of each record).
    static func registered(_ row: DatasetRow, dataset: String, digest: Digest) -> DomainEvent {
        var p = PayloadBuilder()
        p.set("dataset", dataset)
        p.set("position", row.index)
        p.set("repo", row.repo)
        p.set("bug_type", row.bugType)
        p.set("f2p_count", row.failToPassCount ?? 0)
        p.set("p2p_count", row.passToPassCount ?? 0)
        p.set("image_name", row.imageName)
        p.set("created_at", row.createdAt)
        return DomainEvent(
            .instanceRegistered, stream: StreamName.instance(row.instanceId), payload: p.value, blobs: [digest])
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
