import SmithDomain
import SmithJSON
import SmithStore
import SmithTestSupport
import Testing

/// `newEvent()` refuses what a later command could not read back or would misread, naming the field.
@Suite("validation")
struct ValidationTests {
    static let badInstanceIDs = ["", "a b", "../x", String(repeating: "a", count: 300)]

    @Test("an InstanceRegistered with a bad instance id is refused, naming the field", arguments: badInstanceIDs)
    func badInstanceID(_ id: String) throws {
        let error = #expect(throws: EventValidationError.self) {
            try SampleEvents.instanceRegistered(instanceID: id).newEvent()
        }
        #expect(error?.field == "InstanceRegistered.instance_id")
        #expect(error?.description.contains("InstanceRegistered.instance_id") == true)
    }

    @Test("an FtSampleEmitted may name no instance only when it comes from a file (no trajectory)")
    func importedLineWithoutInstance() throws {
        let d = Digest.sha256(Array("x".utf8))
        _ = try FtSampleEmitted(dataset: "s", build: d, position: 0, instanceID: "", trajectory: nil, line: d)
            .newEvent()
        let error = #expect(throws: EventValidationError.self) {
            try FtSampleEmitted(dataset: "s", build: d, position: 0, instanceID: "", trajectory: d, line: d).newEvent()
        }
        #expect(error?.field == "FtSampleEmitted.instance_id")
        #expect(throws: EventValidationError.self) {
            try FtSampleEmitted(dataset: "s", build: d, position: 0, instanceID: "a b", trajectory: nil, line: d)
                .newEvent()
        }
    }

    @Test("a name ending in @<number> is refused: it would read as a version")
    func versionSuffix() throws {
        let error = #expect(throws: EventValidationError.self) {
            try SampleEvents.instanceRegistered(dataset: "swesmith-sample@3").newEvent()
        }
        #expect(error?.field == "InstanceRegistered.dataset")
        #expect(error?.message.contains("@<number>") == true)
        #expect(throws: EventValidationError.self) { try SampleEvents.sftDatasetBuilt(name: "x@3").newEvent() }
        // `@` not followed by a positive number is part of a name.
        _ = try SampleEvents.sftDatasetBuilt(name: "x@latest").newEvent()
        _ = try SampleEvents.sftDatasetBuilt(name: "x@0").newEvent()
    }

    @Test("a RunStarted whose config is nested 1,000 levels deep is refused, so nothing unreadable is written")
    func tooDeep() throws {
        var config: JSONValue = .object([("leaf", .int(1))])
        for _ in 1..<1000 { config = .object([("a", config)]) }
        let event = SampleEvents.runStarted(config: config)
        // Written as is, the payload (one level more) could not be parsed again.
        #expect(throws: (any Error).self) { try JSONParser.parse(PythonJSON.compactBytes(event.payload)) }

        let error = #expect(throws: EventValidationError.self) { try event.newEvent() }
        #expect(error?.field == "RunStarted")
        #expect(error?.message.contains("nested deeper than \(EventValidation.maximumDepth) levels") == true)

        let store = try TemporaryStore()
        #expect(throws: EventValidationError.self) { try store.append(event) }
        #expect(try store.log.lastSeq() == 0)
    }

    @Test("a payload over the size limit is refused; one just under it (escapes counted) is accepted")
    func tooLarge() throws {
        let limit = EventValidation.maximumPayloadBytes
        let big = SampleEvents.runStarted(config: .object([("blob", .string(String(repeating: "x", count: limit)))]))
        let error = #expect(throws: EventValidationError.self) { try big.newEvent() }
        #expect(error?.message.contains("at most \(limit) are accepted") == true)
        // Quotes escape to two bytes each: the bound must not refuse what fits once measured exactly.
        let fits = SampleEvents.runStarted(
            config: .object([("blob", .string(String(repeating: "\"", count: limit / 2 - 4096)))]))
        #expect(throws: Never.self) { _ = try fits.newEvent() }
    }

    @Test("a config as deep as the limit allows is accepted and reads back; one level more is refused")
    func deepButReadable() throws {
        // The payload object is one level, `config` the rest.
        var config: JSONValue = .object([])
        for _ in 1..<(EventValidation.maximumDepth - 1) { config = .object([("a", config)]) }
        let event = SampleEvents.runStarted(config: config)
        let store = try TemporaryStore()
        let record = try store.log.event(seq: try store.append(event).seq)
        #expect(try RunStarted.decode(record) == event)
        // One level more is refused.
        #expect(throws: EventValidationError.self) {
            try SampleEvents.runStarted(config: .object([("a", config)])).newEvent()
        }
    }

    @Test("valid events pass", arguments: Sample.all)
    func validPasses(_ sample: Sample) throws {
        _ = try sample.event.newEvent()
    }

    @Test("other refusals name their field")
    func otherFields() {
        let cases: [(any PipelineEvent, String)] = [
            (SampleEvents.datasetImported(format: "csv"), "DatasetImported.format"),
            (SampleEvents.datasetImported(rows: -1), "DatasetImported.rows"),
            (SampleEvents.runStarted(name: ""), "RunStarted.name"),
            (SampleEvents.runStarted(name: " padded"), "RunStarted.name"),
            (SampleEvents.trajectoryProduced(instanceID: "a/b"), "TrajectoryProduced.instance_id"),
            (SampleEvents.checkpointSaved(sftMatch: "maybe"), "CheckpointSaved.sft_match"),
            (SampleEvents.retracted(version: 0), "Retracted.version"),
            (SampleEvents.retracted(reason: "  "), "Retracted.reason"),
        ]
        for (event, field) in cases {
            let error = #expect(throws: EventValidationError.self) { try event.newEvent() }
            #expect(error?.field == field)
        }
    }
}
