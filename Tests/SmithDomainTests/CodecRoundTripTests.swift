import SmithDomain
import SmithJSON
import SmithStore
import SmithTestSupport
import Testing

/// Every event type through a real store: encoded, appended, read back and decoded to the same value.
@Suite("codec round trip")
struct CodecRoundTripTests {
    @Test("the samples cover every type of the catalog, in its order")
    func samplesCoverTheCatalog() {
        let catalog = EventCatalog.all.map { $0.eventType }
        let full = SampleEvents.allTypes.map(Self.eventType)
        let minimal = SampleEvents.allTypesWithoutOptionals.map(Self.eventType)
        #expect(full == catalog)
        #expect(minimal == catalog)
        #expect(catalog == EventType.allCases)
    }

    @Test(
        "an event appended to a store decodes to the same value, its payload stored as encoded", arguments: Sample.all)
    func roundTrip(_ sample: Sample) throws {
        try Self.roundTrip(sample.event)
    }

    static func eventType(_ event: any PipelineEvent) -> EventType { eventType(of: event) }

    private static func eventType<E: PipelineEvent>(of event: E) -> EventType { E.eventType }

    static func roundTrip<E: PipelineEvent>(_ event: E) throws {
        let store = try TemporaryStore()
        let outcome = try store.append(event)
        #expect(outcome == .appended(1))

        let record = try store.log.event(seq: outcome.seq)
        #expect(record.type == E.eventType.rawValue)
        #expect(record.schemaVersion == E.schemaVersion)
        #expect(record.stream == event.stream)
        #expect(record.blobs == event.blobs)
        #expect(record.id == event.id)

        #expect(try E.decode(record) == event)
        #expect(try EventCatalog.decode(record) as? E == event)
        #expect(try store.log.events(of: E.self, stream: event.stream).map(\.1) == [event])

        let stored = try record.payload()
        #expect(keys(stored) == keys(event.payload))
        #expect(stored == event.payload)
    }

    @Test("one store holding every type reads back each event as its type, in order")
    func everyTypeInOneStore() throws {
        let store = try TemporaryStore()
        let events = SampleEvents.allTypes
        let outcomes = try store.append(events)
        #expect(outcomes.allSatisfy { $0.isNew })
        let records = try store.records()
        #expect(records.count == events.count)
        for (record, event) in zip(records, events) {
            let decoded = try EventCatalog.decode(record)
            #expect(decoded.payload == event.payload)
            #expect(decoded.id == event.id)
        }
    }

    // MARK: Older schema versions

    @Test("RunStarted v1 as the release at 002c907 wrote it reads as v3 with no folder, scaffold swe-agent")
    func runStartedVersion1() throws {
        let old = try ReleaseFixture.first("RunStarted")
        #expect(old.schemaVersion == 1)
        let store = try TemporaryStore()
        let outcome = try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0]
        let record = try store.log.event(seq: outcome.seq)
        // Appended as that release appended it: the same id (its payload hash) and payload.
        #expect(record.id == old.id)
        #expect(record.schemaVersion == 1)

        let expected = RunStarted(
            name: "sample-run", model: "claude-3-7-sonnet-20250219", agentVersion: "1.0.1",
            configFile: "run_batch.config.yaml", config: old.payload["config"],
            configSHA256: Digest(hex: "7cfbd977bad908fcb2dab857d239c3e6ea82ea207d5666ca5309a37337644b25"),
            subset: "first-eight", instances: 8, folder: nil, scaffold: "swe-agent")
        let decoded = try RunStarted.decode(record)
        #expect(decoded == expected)
        #expect(decoded.config?["num_workers"] == .int(4))
        #expect(keys(try RunStarted.upcast(record)) == keys(expected.payload))
    }

    @Test("EvalVerdictRecorded v1 as the release at 002c907 wrote it reads as v2 with the kind its fields imply")
    func evalVerdictVersion1() throws {
        let old = try ReleaseFixture.first("EvalVerdictRecorded")
        #expect(old.schemaVersion == 1)
        let store = try TemporaryStore()
        let outcome = try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0]
        let record = try store.log.event(seq: outcome.seq)
        #expect(record.id == old.id)
        let decoded = try EvalVerdictRecorded.decode(record)
        let implied = VerdictKind.derived(
            resolved: decoded.resolved, timedOut: decoded.timedOut, patchExists: decoded.patchExists,
            patchApplied: decoded.patchApplied)
        #expect(decoded.kind == implied.rawValue)
        #expect(decoded.infraReason == nil)
        #expect(keys(try EvalVerdictRecorded.upcast(record)) == keys(decoded.payload))
    }

    @Test("SubsetDefined v1 as the release at 002c907 wrote it reads as v2 with no members blob, the same fact")
    func subsetDefinedVersion1() throws {
        let old = try ReleaseFixture.first("SubsetDefined")
        #expect(old.schemaVersion == 1)
        let store = try TemporaryStore()
        let outcome = try store.appendRaw([old.newEvent])[0]
        let record = try store.log.event(seq: outcome.seq)
        #expect(record.id == old.id)
        let decoded = try SubsetDefined.decode(record)
        #expect(decoded.membersSHA256 == nil)
        #expect(decoded.blobs == [])
        #expect(decoded.members == 8)
        #expect(keys(try SubsetDefined.upcast(record)) == keys(decoded.payload))
        // The v2 event of the same selection, with its members blob, is the same fact: the same id.
        var current = decoded
        current.membersSHA256 = SampleBlobs.digest(SampleBlobs.members)
        #expect(current.id == record.id)
    }

    @Test("a subset's members blob: one id per line, in order; anything else is refused")
    func subsetMembersFile() throws {
        var bytes: [UInt8] = []
        for id in ["a__b.1.pr_1", "a__b.1.pr_2"] { SubsetMembersFile.append(id, to: &bytes) }
        #expect(bytes == Array("a__b.1.pr_1\na__b.1.pr_2\n".utf8))
        var read: [String] = []
        try SubsetMembersFile.forEach(bytes) { position, id in
            #expect(position == read.count)
            read.append(id)
            return true
        }
        #expect(read == ["a__b.1.pr_1", "a__b.1.pr_2"])
        try SubsetMembersFile.forEach([]) { _, _ in
            Issue.record("an empty blob has no members")
            return true
        }
        for bad in ["a__b.1.pr_1", "a__b.1.pr_1\n\n", "a b\n"] {
            #expect(throws: EventDecodingError.self) { try SubsetMembersFile.forEach(Array(bad.utf8)) { _, _ in true } }
        }
    }

    @Test("a members blob read in pieces: lines split across pieces read as whole ids, in order")
    func subsetMembersInPieces() throws {
        let ids = (0..<50).map { "a__b.1.pr_\($0)" }
        var bytes: [UInt8] = []
        for id in ids { SubsetMembersFile.append(id, to: &bytes) }
        for size in [1, 3, 7, 64, bytes.count] {
            var lines = SubsetMembersFile.Lines()
            var read: [String] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                let more = try bytes.withUnsafeBytes { all in
                    try lines.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { position, id in
                        #expect(position == read.count)
                        read.append(id)
                        return true
                    }
                }
                #expect(more)
                start = end
            }
            try lines.finish()
            #expect(read == ids)
        }
        var lines = SubsetMembersFile.Lines()
        _ = try Array("a__b.1.pr_1\na__b".utf8).withUnsafeBytes { try lines.feed($0) { _, _ in true } }
        #expect(throws: EventDecodingError.self) { try lines.finish() }
    }

    @Test("a verdict's kind: resolved first, then timed out or unapplied (error), no patch (missing)")
    func verdictKinds() {
        #expect(
            VerdictKind.derived(resolved: true, timedOut: false, patchExists: true, patchApplied: true) == .resolved)
        #expect(VerdictKind.derived(resolved: false, timedOut: true, patchExists: nil, patchApplied: nil) == .error)
        #expect(
            VerdictKind.derived(resolved: false, timedOut: false, patchExists: false, patchApplied: false) == .missing)
        #expect(VerdictKind.derived(resolved: false, timedOut: false, patchExists: true, patchApplied: false) == .error)
        #expect(
            VerdictKind.derived(resolved: false, timedOut: false, patchExists: true, patchApplied: true) == .unresolved)
    }

    @Test("InstanceRegistered v1 reads as v2: instance id from the stream, row from the blob")
    func instanceRegisteredVersion1() throws {
        let old = try ReleaseFixture.instanceRegisteredV1()
        let store = try TemporaryStore()
        let outcome = try store.appendRaw([old.newEvent], blobs: try ReleaseFixture.blobs(old.blobs))[0]
        let record = try store.log.event(seq: outcome.seq)
        #expect(record.schemaVersion == 1)
        #expect(record.id == EventIdentity.id(type: "InstanceRegistered", stream: old.stream, payload: old.payload))

        let expected = InstanceRegistered(
            instanceID: "pandas-dev__pandas.95280573.pr_53652",
            row: Digest(hex: "c304ddfbd7d3c12dd0ba43c26becb84291158f638cf44ff7f415b34c59390fa9")!,
            dataset: "swesmith-sample", position: 0, repo: "swesmith/pandas-dev__pandas.95280573", bugType: "pr",
            failToPassCount: 1, passToPassCount: 3, imageName: "swesmith.x86_64.pandas-dev__pandas.95280573",
            createdAt: "2025-03-10T08:23:31.701599")
        #expect(try InstanceRegistered.decode(record) == expected)
        #expect(try InstanceRegistered.upcast(record) == expected.payload)
    }

    @Test("every event of the store the release at 002c907 wrote decodes, and encodes back to its payload")
    func releaseStoreDecodes() throws {
        let store = try TemporaryStore(copyingLog: RepositoryFiles.releaseStore + "/data.mdb", readOnly: true)
        let records = try store.records()
        #expect(records.count == 62)
        for record in records {
            let event = try EventCatalog.decode(record)
            let upcast = try type(of: event).upcast(record)
            // Today's encoding is the stored payload brought to the current version, key for key.
            #expect(event.payload == upcast, "seq \(record.seq) (\(record.type))")
            #expect(event.stream == record.stream)
            #expect(event.blobs == record.blobs)
        }
    }

    @Test("a payload from a newer smithlog is refused, naming the versions")
    func newerVersionIsRefused() throws {
        let store = try TemporaryStore()
        var event = try SampleEvents.retracted().newEvent()
        event.schemaVersion = 2
        let record = try store.log.event(seq: try store.appendRaw([event])[0].seq)
        let error = #expect(throws: EventDecodingError.self) { try Retracted.decode(record) }
        #expect(error?.message.contains("schema version 2") == true)
    }
}
