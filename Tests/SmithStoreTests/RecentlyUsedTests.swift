import Testing

@testable import SmithStore

@Suite("recently used blobs (the decoded packs and references kept)")
struct RecentlyUsedTests {
    static func digest(_ n: UInt8) -> Digest { Digest.sha256([n]) }

    @Test("a hit is kept over entries put after it; past the capacity the least recently used goes, handed back")
    func hitStays() {
        var recent = RecentlyUsed<String>(capacity: 2)
        #expect(recent.put(Self.digest(1), "first") == nil)
        #expect(recent.put(Self.digest(2), "second") == nil)
        // The first read again (a run's first trajectory, every other one stored against it): kept.
        #expect(recent.get(Self.digest(1)) == "first")
        #expect(recent.put(Self.digest(3), "third") == "second")
        #expect(recent.get(Self.digest(1)) == "first")
        #expect(recent.get(Self.digest(2)) == nil)
        #expect(recent.put(Self.digest(4), "fourth") == "third")
        #expect(recent.get(Self.digest(3)) == nil)
    }

    @Test("a digest put again replaces its value and takes one place")
    func putAgain() {
        var recent = RecentlyUsed<Int>(capacity: 2)
        recent.put(Self.digest(1), 1)
        recent.put(Self.digest(2), 2)
        #expect(recent.put(Self.digest(1), 10) == nil)
        #expect(recent.get(Self.digest(1)) == 10)
        #expect(recent.get(Self.digest(2)) == 2)
    }
}
