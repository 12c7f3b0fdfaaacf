import SmithDomain
import SmithStore
import SmithTestSupport
import Testing

/// A name's versions read from the log: numbering, retraction, resolution and claims.
@Suite("named versions")
struct NamedVersionsTests {
    /// An SFT name `X` with three versions, a line between @1 and @2, and @3 retracted.
    final class Fixture {
        let store: TemporaryStore
        /// The seq of each version's head event, and of the line recorded between @1 and @2.
        let heads: [UInt64]
        let between: UInt64

        init() throws {
            store = try TemporaryStore()
            let v1 = try store.append(SampleEvents.sftDatasetBuilt(name: "X", lines: 1)).seq
            let line = try store.append(SampleEvents.ftSampleEmitted(dataset: "X")).seq
            let v2 = try store.append(SampleEvents.sftDatasetBuilt(name: "X", lines: 2)).seq
            let v3 = try store.append(SampleEvents.sftDatasetBuilt(name: "X", lines: 3)).seq
            try store.append(SampleEvents.retracted(kind: .sft, name: "X", version: 3, reason: "wrong run"))
            // Another name and another kind under the same name do not count.
            try store.append(SampleEvents.sftDatasetBuilt(name: "Y"))
            try store.append(SampleEvents.retracted(kind: .run, name: "X", version: 2, reason: "not this one"))
            heads = [v1, v2, v3]
            between = line
        }

        func resolve(_ text: String, asOf seq: UInt64? = nil) throws -> NamedVersion<SftDatasetBuilt> {
            try store.log.resolve(VersionedName(parsing: text), .sft, as: SftDatasetBuilt.self, asOf: seq)
        }
    }

    @Test("versions are the head events in order, with their retraction")
    func versions() throws {
        let f = try Fixture()
        let all = try f.store.log.versions(.sft, "X", as: SftDatasetBuilt.self)
        #expect(all.map(\.version) == [1, 2, 3])
        #expect(all.map(\.record.seq) == f.heads)
        #expect(all.map(\.head.lines) == [1, 2, 3])
        #expect(all.map(\.retraction) == [nil, nil, "wrong run"])
        #expect(all[2].label("X") == "X@3")
        #expect(try f.store.log.versions(.sft, "unknown", as: SftDatasetBuilt.self).isEmpty)
    }

    @Test("X is the latest version not retracted; X@3 is version 3 retracted or not")
    func resolveLatestAndNumbered() throws {
        let f = try Fixture()
        #expect(try f.resolve("X").version == 2)
        #expect(try f.resolve("X@3").version == 3)
        #expect(try f.resolve("X@3").retraction == "wrong run")
        #expect(try f.resolve("X@1").head.lines == 1)
    }

    @Test("a version or name that does not exist is notFound")
    func notFound() throws {
        let f = try Fixture()
        let missingVersion = #expect(throws: NameError.self) { try f.resolve("X@4") }
        #expect(missingVersion?.code == .notFound)
        #expect(missingVersion?.message.contains("3 version(s)") == true)
        let missingName = #expect(throws: NameError.self) { try f.resolve("Z") }
        #expect(missingName?.code == .notFound)
        let beforeAny = #expect(throws: NameError.self) { try f.resolve("X", asOf: f.heads[0]) }
        #expect(beforeAny?.code == .notFound)
    }

    @Test("asOf: a bare name means the latest version recorded before that seq")
    func asOf() throws {
        let f = try Fixture()
        #expect(f.heads[0] < f.between && f.between < f.heads[1])
        #expect(try f.resolve("X", asOf: f.between).version == 1)
        #expect(try f.resolve("X", asOf: f.heads[1]).version == 1)
        // Later retractions do not change what a bare name meant then.
        #expect(try f.resolve("X", asOf: f.heads[2] + 1).version == 3)
        // A numbered reference ignores asOf.
        #expect(try f.resolve("X@3", asOf: f.between).version == 3)
    }

    @Test("when every version is retracted, X is the latest")
    func allRetracted() throws {
        let store = try TemporaryStore()
        try store.append(SampleEvents.runStarted(name: "R"))
        try store.append(SampleEvents.retracted(kind: .run, name: "R", version: 1))
        let r = try store.log.resolve(VersionedName(parsing: "R"), .run, as: RunStarted.self)
        #expect(r.version == 1)
        #expect(r.retraction != nil)
    }

    // MARK: Name claims

    @Test("a claim holds while the count of versions is unchanged and fails once another is recorded")
    func claim() throws {
        let f = try Fixture()
        let reader = f.store.log
        let claim = NameClaim(kind: .sft, name: "X", versionsSeen: 3)
        try claim.check(reader)
        #expect(throws: NameError.self) { try NameClaim(kind: .sft, name: "X", versionsSeen: 2).check(reader) }
        try NameClaim(kind: .sft, name: "new-name", versionsSeen: 0).check(reader)

        // Events that are not heads (lines, retractions) do not change the count.
        try f.store.append(SampleEvents.ftSampleEmitted(dataset: "X", position: 1))
        try f.store.append(SampleEvents.retracted(kind: .sft, name: "X", version: 2))
        try claim.check(reader)

        try f.store.append(SampleEvents.sftDatasetBuilt(name: "X", lines: 4))
        let error = #expect(throws: NameError.self) { try claim.check(reader) }
        #expect(error?.code == .changedMeanwhile)
        #expect(error?.message.contains("now has 4 version(s)") == true)

        // Inside an append's write transaction the stale claim refuses the whole batch.
        let before = try f.store.records().count
        let late = try SampleEvents.sftDatasetBuilt(name: "X", lines: 5).newEvent()
        #expect(throws: NameError.self) { try f.store.log.append([late], checking: { try claim.check($0) }) }
        #expect(try f.store.records().count == before)
    }

    @Test("after its own appends a claim reads only what the stream got since, and still sees another's version")
    func claimAfterOwnAppends() throws {
        let f = try Fixture()
        let log = f.store.log
        // This command records X@4 and then its lines, in transactions of their own.
        var claim = NameClaim(kind: .sft, name: "X", versionsSeen: 3)
        let head = try SampleEvents.sftDatasetBuilt(name: "X", lines: 9).newEvent()
        let outcomes = try log.append([head], checking: { [claim] in try claim.check($0) })
        claim = claim.afterAppend(outcomes, ownHeads: 1)
        #expect(claim.versionsSeen == 4)
        #expect(claim.countedThrough == outcomes[0].seq)
        for position in 10..<13 {
            let line = try SampleEvents.ftSampleEmitted(dataset: "X", position: position).newEvent()
            let written = try log.append([line], checking: { [claim] in try claim.check($0) })
            claim = claim.afterAppend(written, ownHeads: 0)
            #expect(claim.countedThrough == written[0].seq)
        }
        // Nothing new written: the claim stays where it was.
        #expect(claim.afterAppend([.existing(1)], ownHeads: 0).countedThrough == claim.countedThrough)

        // Another process records X@5 meanwhile: the next transaction is refused, naming the count.
        try f.store.append(SampleEvents.sftDatasetBuilt(name: "X", lines: 10))
        let error = #expect(throws: NameError.self) { try claim.check(log) }
        #expect(error?.code == .changedMeanwhile)
        #expect(error?.message.contains("now has 5 version(s) (4 when this command started)") == true)
    }
}
