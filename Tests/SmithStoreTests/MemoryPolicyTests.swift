import Foundation
import Testing

@testable import SmithStore

@Suite("memory policy")
struct MemoryPolicyTests {
    /// Bytes of `file` mapped into this process and resident, summed over its mappings in /proc/self/smaps.
    static func residentMappedBytes(of file: String) throws -> Int {
        var info = stat()
        #expect(stat(file, &info) == 0)
        let inode = String(info.st_ino)
        var total = 0
        var inMapping = false
        // Read to the end: procfs files report no size, and a read sized by it stops short.
        let smaps = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps")).readDataToEndOfFile()
        for line in String(decoding: smaps, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            // A mapping's header: "start-end perms offset dev inode path"; its counters follow, one a line.
            if fields.count >= 5 && fields[0].contains("-") && !fields[0].hasSuffix(":") {
                inMapping = fields[4] == inode
            } else if inMapping && fields.count >= 2 && fields[0] == "Rss:" {
                total += (Int(fields[1]) ?? 0) * 1024
            }
        }
        return total
    }

    /// 6,000 bytes of noise (a linear congruential sequence from `seed`): zstd cannot shrink them below a leaf
    /// page, so each such blob is stored on overflow pages of its own.
    static func noise(seed: Int) -> [UInt8] {
        var x = UInt64(seed + 1)
        return (0..<6_000).map { _ in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: x >> 33)
        }
    }

    @Test(
        "the default policy leaves the pages a scan read mapped; flatMemory unmaps them and reads the same",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps")),
        arguments: [false, true])
    func scanPages(flat: Bool) throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, initialMapSize: 1 << 20, memory: flat ? .flatMemory : .default)
        #expect(log.memoryPolicy == (flat ? .flatMemory : .default))
        // Enough to grow the map from 1 MB, with a blob written in the same transactions.
        let blob = PreparedBlob(Array(String(repeating: "trajectory step\n", count: 20_000).utf8))
        try log.append((0..<10_000).map { event($0, blobs: [blob.digest]) }, blobs: [blob])
        try log.append((10_000..<20_000).map { event($0, stream: "run/b") })
        var read = 0
        try log.forEach { _ in
            read += 1
            return true
        }
        #expect(read == 20_000)
        let resident = try Self.residentMappedBytes(of: dir.store.logPath + "/data.mdb")
        if flat {
            #expect(resident == 0)
        } else {
            #expect(resident > 1 << 20)
        }
        var inB = 0
        try log.forEach(stream: "run/b") { _ in
            inB += 1
            return true
        }
        #expect(inB == 10_000)
        #expect(try log.blob(blob.digest).count == 320_000)
        #expect(try log.verify().isClean)
    }

    @Test(
        "flatMemory: a long scan releases the pages it mapped as it goes; verify and stats end with none mapped",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps")))
    func scansReleaseAsTheyGo() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        let blob = PreparedBlob(Array(String(repeating: "trajectory step\n", count: 20_000).utf8))
        let padding = String(repeating: "x", count: 400)
        try log.append(
            (0..<40_000).map { event($0, stream: "run/\($0 % 7)\(padding)", blobs: [blob.digest]) }, blobs: [blob])
        let file = dir.store.logPath + "/data.mdb"
        var midScan = 0
        var read = 0
        try log.forEach { _ in
            read += 1
            if read == 30_000 {
                midScan = try Self.residentMappedBytes(of: file)
            }
            return true
        }
        #expect(read == 40_000)
        // Without releases, 30k events' records (~0.5 KB each, ~15 MB) would be mapped by then.
        #expect(midScan > 0)
        #expect(midScan < ScanPageRelease.budget + (1 << 20))
        let report = try log.verify()
        #expect(report.isClean)
        #expect(try Self.residentMappedBytes(of: file) == 0)
        #expect(try log.verify(quick: true).isClean)
        #expect(try Self.residentMappedBytes(of: file) == 0)
        #expect(try log.stats().events == 40_000)
        #expect(try Self.residentMappedBytes(of: file) == 0)
    }

    @Test(
        "flatMemory: a stream read through its index releases the pages it mapped as it goes, in and out of appends",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps")))
    func streamReadsReleaseAsTheyGo() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        let padding = String(repeating: "x", count: 400)
        // Every seventh event is run/0's: its 5,715 events are spread over the whole log (~20 MB).
        try log.append((0..<40_000).map { event($0, stream: $0 % 7 == 0 ? "run/0" : "run/\($0 % 7)\(padding)") })
        let file = dir.store.logPath + "/data.mdb"
        func readStream(_ reader: some StreamReading) throws -> (read: Int, midScan: Int) {
            var read = 0
            var midScan = 0
            try reader.forEach(stream: "run/0") { _ in
                read += 1
                // Without releases, 5,000 of its events span ~17 MB of the log by then.
                if read == 5_000 { midScan = try Self.residentMappedBytes(of: file) }
                return true
            }
            return (read, midScan)
        }
        // At most what a read maps between two releases, and the upper pages of the trees it looks events up in.
        let bound = ScanPageRelease.budget + (1 << 20)
        let outside = try readStream(log)
        #expect(outside.read == 5_715)
        #expect(outside.midScan > 0)
        #expect(outside.midScan < bound)
        // An append's check reads the same way inside the write transaction.
        var inside = (read: 0, midScan: 0)
        try log.append([event(40_000, stream: "run/0")], checking: { inside = try readStream($0) })
        #expect(inside.read == 5_715)
        #expect(inside.midScan < bound)
        #expect(try log.verify().isClean)
    }

    @Test(
        "flatMemory: a batch's blob writes unmap the pages they mapped as they go, mid-transaction, and lose nothing",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps")))
    func blobWritesReleaseMidTransaction() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        // Many times `blobPutsPerRelease` blobs, each on overflow pages of its own, in one transaction.
        let contents = (0..<(10 * EventLog.blobPutsPerRelease)).map { Self.noise(seed: $0) }
        let blobs = contents.map { PreparedBlob($0) }
        let outcomes = try log.append(blobs.indices.map { event($0, blobs: [blobs[$0].digest]) }, blobs: blobs)
        #expect(outcomes.count == blobs.count)
        for (blob, bytes) in zip(blobs, contents) {
            #expect(try log.blob(blob.digest) == bytes)
        }
        #expect(try log.verify().isClean)
        #expect(try Self.residentMappedBytes(of: dir.store.logPath + "/data.mdb") == 0)
    }

    @Test(
        "flatMemory: the store pages are released once the process holds a budget of them, however little was counted",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")))
    func releasesWhatIsHeldNotWhatWasCounted() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        // Blobs of 6 KB of noise, each on overflow pages of its own (8 KB): 3x the budget of the file.
        let blobs = (0..<(3 * ScanPageRelease.budget / 8_192)).map { PreparedBlob(Self.noise(seed: $0)) }
        try log.append(blobs.indices.map { event($0, blobs: [blobs[$0].digest]) }, blobs: blobs)
        let file = dir.store.logPath + "/data.mdb"
        log.releaseMappedPages()
        #expect(try Self.residentMappedBytes(of: file) == 0)
        // A reader that maps the whole file but counts an eighth of the budget: a count alone would release
        // nothing. Other suites map and unmap files of their own meanwhile, which moves what the release
        // measures (the process's file pages), so a release that one of them masked is tried again.
        var held: [Int] = []
        for _ in 0..<5 {
            for blob in blobs { _ = try log.storedBlobBytes(blob.digest) }
            held.append(try Self.residentMappedBytes(of: file))
            log.environment.noteMapped(ScanPageRelease.budget / 8, limit: ScanPageRelease.budget)
            if try Self.residentMappedBytes(of: file) == 0 { break }
        }
        #expect(held.allSatisfy { $0 > ScanPageRelease.budget })
        #expect(try Self.residentMappedBytes(of: file) == 0)
        #expect(try log.blob(blobs[0].digest).count == 6_000)
    }

    @Test(
        "flatMemory: a commit releases the store pages only once a budget more of them is held, not every time",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")))
    func commitsReleaseOnlyWhatIsHeld() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        try log.append([event(0)])
        let before = log.environment.releases
        // Small commits, each mapping a few pages: far less than a budget between them. Other suites mapping
        // files of their own can move the measure by a budget now and then, not at each of these commits.
        for i in 1...40 { try log.append([event(i)]) }
        #expect(log.environment.releases - before < 10)
        #expect(try log.verify().isClean)
    }

    @Test("a prepared blob holds its stored bytes only, not the room it was compressed into")
    func preparedBlobsHoldNoSpareRoom() {
        // `sft build` holds every line's blob until its one transaction: spare room grew its memory with the run.
        let (_, base, delta) = BlobDeltaTests.prepared(seed: 7)
        for blob in [base, delta] {
            #expect(blob.stored.capacity < blob.stored.count + 64)
        }
    }

    @Test(
        "the list of mappings a release walks is read whole, past the 4 KB a sized read stops at",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/maps")))
    func mappingsReadWhole() throws {
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store, memory: .flatMemory)
        try log.append([event(1)])
        let maps = try #require(FileManagerShim.text(atPath: "/proc/self/maps"))
        #expect(maps.utf8.count > 4096)
        #expect(maps.contains(dir.store.logPath + "/data.mdb"))
    }
}
