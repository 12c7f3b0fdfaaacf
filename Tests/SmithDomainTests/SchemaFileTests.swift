import Foundation
import SmithDomain
import SmithJSON
import SmithTestSupport
import Testing

/// `schema/events/*.json` against the event types: one file per type and version, the current version's
/// fields in the order `encode(to:)` writes them, and every payload the types (and the previous release)
/// write accepted by its file.
@Suite("event schema files")
struct SchemaFileTests {
    static func fileName(_ type: EventType, _ version: Int) -> String { "\(type.rawValue).v\(version).json" }

    static func schema(_ type: EventType, _ version: Int) throws -> EventSchema {
        try EventSchema(file: fileName(type, version))
    }

    @Test("every type has a file for each version up to its current one, and every file names its type and version")
    func filesExist() throws {
        var expected: Set<String> = []
        for type in EventCatalog.all {
            for version in 1...type.schemaVersion {
                let name = Self.fileName(type.eventType, version)
                expected.insert(name)
                let schema = try EventSchema(file: name)
                #expect(schema.type == type.eventType.rawValue, "\(name)")
                #expect(schema.version == version, "\(name)")
                #expect(schema.json["additionalProperties"] == .bool(false), "\(name)")
                #expect(
                    Set(schema.required) == Set(schema.properties.map(\.0)), "\(name): required and properties differ")
            }
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.schemaEvents)
            .filter { $0.hasSuffix(".json") }
        #expect(Set(present) == expected, "files for no type or for a version newer than the type's")
    }

    @Test("the current version's required keys are the keys encode(to:) writes, in order", arguments: Sample.all)
    func requiredKeys(_ sample: Sample) throws {
        let type = CodecRoundTripTests.eventType(sample.event)
        let schema = try Self.schema(type, type.currentVersion)
        #expect(schema.required == keys(sample.event.payload))
    }

    @Test("every property accepts the encoded example's values (null where optional)", arguments: Sample.all)
    func valuesConform(_ sample: Sample) throws {
        let type = CodecRoundTripTests.eventType(sample.event)
        let schema = try Self.schema(type, type.currentVersion)
        #expect(schema.problems(sample.event.payload) == [])
    }

    @Test("the stream template fits the type's stream", arguments: Sample.all)
    func streamTemplate(_ sample: Sample) throws {
        let type = CodecRoundTripTests.eventType(sample.event)
        let schema = try Self.schema(type, type.currentVersion)
        #expect(schema.matchesStream(sample.event.stream), "\(sample.event.stream) against \(schema.streams)")
    }

    @Test("Retracted lists the stream of every kind of name, and only those")
    func retractedStreams() throws {
        let schema = try Self.schema(.retracted, 1)
        let streams = NamedKind.allCases.map { SampleEvents.retracted(kind: $0, name: "n").stream }
        for stream in streams { #expect(schema.matchesStream(stream), "\(stream)") }
        #expect(schema.streams.count == NamedKind.allCases.count)
        #expect(
            schema.properties.first { $0.0 == "kind" }?.1["enum"]
                == .array(NamedKind.allCases.map { .string($0.rawValue) }))
    }

    @Test("values outside the schema are reported (the check is not vacuous)")
    func checkerRejects() throws {
        let schema = try Self.schema(.trajectoryProduced, TrajectoryProduced.schemaVersion)
        var pairs = SampleEvents.trajectoryProduced().payload.objectValue!
        pairs[pairs.firstIndex { $0.0 == "steps" }!].1 = .number("1.5")
        pairs[pairs.firstIndex { $0.0 == "format" }!].1 = .string("unknown-format")
        pairs[pairs.firstIndex { $0.0 == "traj_sha256" }!].1 = .string("ABC")
        pairs[pairs.firstIndex { $0.0 == "instance_id" }!].1 = .null
        #expect(schema.problems(.object(pairs)).count == 4)
        #expect(schema.problems(.object(Array(pairs.reversed()))).count == 5)
        #expect(!schema.matchesStream("run/"))
        #expect(!schema.matchesStream("eval/x"))
    }

    // MARK: Older versions, and what the previous release wrote

    @Test("every payload in the store the release at 002c907 wrote conforms to its type's file for its version")
    func releasePayloadsConform() throws {
        let entries = try ReleaseFixture.entries()
        #expect(entries.count == 62)
        for entry in entries {
            guard let type = EventType(rawValue: entry.type) else {
                Issue.record("unknown type \(entry.type)")
                continue
            }
            let schema = try Self.schema(type, entry.schemaVersion)
            #expect(schema.problems(entry.payload) == [], "seq \(entry.seq) (\(entry.type))")
            #expect(schema.matchesStream(entry.stream), "seq \(entry.seq) (\(entry.type))")
        }
    }

    @Test("InstanceRegistered v1 as the release before wrote it conforms to InstanceRegistered.v1.json")
    func instanceRegisteredVersion1() throws {
        let old = try ReleaseFixture.instanceRegisteredV1()
        #expect(try Self.schema(.instanceRegistered, 1).problems(old.payload) == [])
    }
}
