import Testing

@testable import SmithStore

/// Issue 20: `stats` finds which event named each blob first by sorting (blob, seq) pairs, not with a set of
/// every blob seen; a blob and a pack count once, with the first event naming them (or one of the pack's slices).
@Suite("stats: stored bytes by type")
struct StatsFootprintTests {
    @Test("a blob named again later, and a pack whose slices two types name, count with the first naming")
    func firstNamingOwns() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        let trajectory = PreparedBlob(VerifyBlobTests.trajectory(1, kb: 64))
        let pack = PreparedBlobPack(BlobPackTests.rows(20))
        // Rows 0-9 first named by RowImported, then row 0 and the trajectory again by a later type.
        try log.append(
            [event(0, type: "TrajectoryProduced", blobs: [trajectory.digest])]
                + pack.members.prefix(10).enumerated().map {
                    event(10 + $0, stream: "dataset/d", type: "RowImported", blobs: [$1.digest])
                },
            blobs: [trajectory] + pack.blobs)
        try log.append(
            [
                event(
                    100, type: "SampleEmitted",
                    blobs: [trajectory.digest, pack.members[0].digest, pack.members[15].digest])
            ],
            blobs: [])
        let byType = Dictionary(uniqueKeysWithValues: try log.stats().footprintByType.map { ($0.type, $0) })
        #expect(byType["TrajectoryProduced"]?.blobs == 1)
        #expect(byType["TrajectoryProduced"]?.blobRawBytes == trajectory.rawSize)
        #expect(byType["TrajectoryProduced"]?.blobStoredBytes == trajectory.storedSize)
        #expect(byType["RowImported"]?.blobs == 10)
        let rows = pack.members.prefix(10)
        #expect(byType["RowImported"]?.blobRawBytes == rows.map(\.rawSize).reduce(0, +))
        // The pack's stored bytes count with the rows that first named one of its slices.
        #expect(
            byType["RowImported"]?.blobStoredBytes == rows.map(\.storedSize).reduce(0, +) + pack.pack!.storedSize)
        // Only row 15 is new to the later event.
        #expect(byType["SampleEmitted"]?.blobs == 1)
        #expect(byType["SampleEmitted"]?.blobRawBytes == pack.members[15].rawSize)
        #expect(byType["SampleEmitted"]?.blobStoredBytes == pack.members[15].storedSize)
    }
}
