import SmithDomain
import SmithJSON
public import SmithStore

/// `smithlog subset export`: a version of a subset's rows as SWE-smith writes `logs/experiments/<subset>.json`.
///
/// Exactly the bytes of Python's `json.dump(rows, f, indent=2)` for the rows as `json.load` read them,
/// in dataset order. Rows come from their blobs in the log, so the original dataset file is not needed.
public enum SubsetExport {
    /// The rows of `name` (`NAME` or `NAME@N`); an unknown name or version is `NameError(.notFound)`.
    public static func bytes(name: String, log: EventLog) throws -> [UInt8] {
        let wanted = VersionedName(parsing: name)
        let version = try log.resolve(wanted, .subset, as: SubsetDefined.self)
        var members: [(position: Int, instance: String)] = []
        try log.forEachSubsetMember(of: version.record, version.head) { position, id in
            members.append((position, id))
            return true
        }
        // The dataset version the subset was chosen from: each member's row is the last one registered for that
        // dataset before the version's DatasetImported (a version's rows are appended before it).
        let datasetName = VersionedName(parsing: version.head.dataset).name
        let dataset = try log.resolve(
            VersionedName(parsing: version.head.dataset), .dataset, as: DatasetImported.self,
            asOf: version.record.seq)
        var rows: [JSONValue] = []
        rows.reserveCapacity(members.count)
        for member in members {
            var row: Digest?
            try log.forEach(InstanceRegistered.self, stream: StreamName.instance(member.instance)) { record, r in
                guard record.seq < dataset.record.seq else { return false }
                if r.dataset == datasetName { row = r.row }
                return true
            }
            guard let row else {
                throw IngestError(
                    "subset \(version.label(wanted.name)): \(member.instance) has no row in dataset "
                        + dataset.label(datasetName))
            }
            let bytes = try log.blob(row)
            do {
                rows.append(try JSONParser.parse(bytes))
            } catch {
                throw IngestError("row \(member.instance) (blob \(row.hex)): \(error)")
            }
        }
        return PythonJSON.dumpBytes(.array(rows), ensureASCII: true, indent: 2)
    }
}
