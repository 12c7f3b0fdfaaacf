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
        let bytes = try FileReading.bytes(file)
        let fileDigest = Digest.sha256(bytes)
        let datasetName = name ?? defaultName(file)
        guard !datasetName.isEmpty else { throw IngestError("\(file): cannot derive a dataset name; pass --name") }
        let format = try DatasetReader.format(of: bytes, file: file)

        // Pass 1 validates every row and counts them; nothing is written if any row is bad.
        var total = 0
        var seen = Set<String>()
        var duplicate: String?
        try DatasetReader.forEachRow(in: bytes, file: file) { row in
            total += 1
            if !seen.insert(row.instanceId).inserted && duplicate == nil { duplicate = row.instanceId }
        }
        if let duplicate {
            throw IngestError(
                "\(file): instance id '\(duplicate)' appears more than once; a dataset's ids must be unique")
        }
        guard total > 0 else { throw IngestError("\(file): the dataset has no rows") }

        let batcher = ArtifactBatcher(log: log, maxEvents: 4000)
        batcher.addBytesRead(bytes.count)
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
            progress?(done, total, bytes.count * done / total)
        }
        var pendingBytes = 0
        try DatasetReader.forEachRow(in: bytes, file: file) { row in
            pending.append(row)
            pendingBytes += row.raw.count
            // Enough for a few whole packs, so both cores compress.
            if pendingBytes >= 16 << 20 || pending.count == 4096 {
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

    static func registered(_ row: DatasetRow, dataset: String, digest: Digest) -> DomainEvent {
        var p = PayloadBuilder()
        p.set("dataset", dataset)
        p.set("instance_id", row.instanceId)
        p.set("position", row.index)
        p.set("repo", row.repo)
        p.set("bug_type", row.bugType)
        p.set("f2p_count", row.failToPassCount ?? 0)
        p.set("p2p_count", row.passToPassCount ?? 0)
        p.set("image_name", row.imageName)
        p.set("created_at", row.createdAt)
        p.set("row_sha256", digest.hex)
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
