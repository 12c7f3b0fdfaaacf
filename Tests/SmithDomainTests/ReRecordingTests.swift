import SmithDomain
import SmithJSON
import SmithStore
import SmithTestSupport
import Testing

/// Facts a previous release recorded (ids hashing the whole payload; RunStarted still at schema version 1),
/// recorded again with today's typed events: the store, upgraded to format 6 when opened through the domain
/// layer, maps today's identity ids to them and nothing is added.
@Suite("re-recording under an older version")
struct ReRecordingTests {
    @Test("today's events for the facts in the store the release at 002c907 wrote add nothing")
    func releaseStore() throws {
        let store = try TemporaryStore(copyingLog: RepositoryFiles.releaseStore + "/data.mdb")
        let before = try store.log.lastSeq()

        // RunStarted v1 (seq 21) and InstanceRegistered v2 (seq 1), both with payload-hash ids.
        let run = try ReleaseFixture.first("RunStarted")
        let runToday = RunStarted(
            name: "sample-run", model: "claude-3-7-sonnet-20250219", agentVersion: "1.0.1",
            configFile: "run_batch.config.yaml", config: run.payload["config"], configSHA256: run.blobs[0],
            subset: "first-eight", instances: 8, folder: nil)
        let row = try ReleaseFixture.first("InstanceRegistered")
        let rowToday = try InstanceRegistered.decode(try store.log.event(seq: row.seq))

        let outcomes = try store.append([runToday, rowToday])
        #expect(outcomes == [.existing(run.seq), .existing(row.seq)])
        #expect(try store.log.lastSeq() == before)
    }
}
