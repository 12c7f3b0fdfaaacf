import Testing

@testable import SmithStore

/// Issue 20: scans that meet records again in another order sort them in bounded memory (`SpillSort`), so
/// `verify` and `stats` keep no set or map of every blob.
@Suite("spill sort")
struct SpillSortTests {
    /// `count` 12-byte records: a big-endian key with repeats, then the index it was appended at.
    static func records(_ count: Int) -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let key = UInt64(state >> 40) % UInt64(max(1, count / 3))
            return withUnsafeBytes(of: key.bigEndian) { Array($0) }
                + withUnsafeBytes(of: UInt32(i).bigEndian) { Array($0) }
        }
    }

    static func sortedBack(_ input: [[UInt8]], memoryBytes: Int) throws -> [[UInt8]] {
        let sorter = SpillSort(recordSize: 12, memoryBytes: memoryBytes)
        for record in input {
            try sorter.append { out in out.copyMemory(from: UnsafeRawBufferPointer(start: record, count: 12)) }
        }
        #expect(sorter.total == input.count)
        let reader = try sorter.sorted()
        var out: [[UInt8]] = []
        while let record = try reader.next() { out.append(Array(record)) }
        return out
    }

    @Test("records that fit in memory come back in byte order, repeats kept")
    func inMemory() throws {
        let input = Self.records(500)
        #expect(try Self.sortedBack(input, memoryBytes: 1 << 20) == input.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test("records spilled in many runs (more than one merge takes) come back in byte order")
    func spilled() throws {
        let input = Self.records(5000)
        // 8 records a run: 625 runs, merged 32 at a time into longer runs first.
        let out = try Self.sortedBack(input, memoryBytes: 96)
        #expect(out == input.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test("no records: nothing comes back")
    func empty() throws {
        #expect(try Self.sortedBack([], memoryBytes: 96).isEmpty)
    }
}
