import SmithDomain
import SmithStore

extension SftExport {
    /// One line of a version as its FtSampleEmitted records it.
    struct SampleLine {
        var position: Int
        var line: Digest
        /// Id of the TrajectoryProduced it was made from.
        var trajectory: Digest?
    }

    /// `lines` (in build order) put in the order the trajectory run's folder was listed when it was ingested.
    static func ingestOrder(
        _ lines: [SampleLine], built: SftDatasetBuilt, version: String, log: EventLog
    ) throws -> [SampleLine] {
        guard built.combinedFrom == nil, let trajRun = built.trajRun else {
            throw IngestError(
                "SFT dataset \(version): --order ingest needs a set built from a trajectory run; a combined set's "
                    + "order is combine's shuffle (use --order id)")
        }
        var positions: [Digest: Int] = [:]
        try log.forEach(TrajectoryProduced.self, stream: StreamName.run(VersionedName(parsing: trajRun).name)) {
            record, t in
            if let position = t.position { positions[record.id] = position }
            return true
        }
        var keyed: [(key: Int, index: Int, line: SampleLine)] = []
        var unknown = 0
        for (index, line) in lines.enumerated() {
            guard let trajectory = line.trajectory, let position = positions[trajectory] else {
                unknown += 1
                continue
            }
            keyed.append((position, index, line))
        }
        guard unknown == 0 else {
            throw IngestError(
                "SFT dataset \(version): --order ingest: \(unknown) of \(lines.count) line(s) come from trajectories "
                    + "of \(trajRun) recorded without their listing order (before smithlog kept it); ingest the "
                    + "run folder anew (--new-version) and rebuild, or use --order id")
        }
        keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        return keyed.map(\.line)
    }
}
