import Foundation
import SmithStore
import Testing

@Suite("blob compression")
struct BlobCompressionTests {
    /// Pseudo-random bytes (a fixed xorshift, so the test is the same every run).
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed
        return (0..<count).map { _ in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }

    /// Text that compresses far below a quarter, bytes that compress to between a quarter and their size
    /// (the second, full-size attempt), and bytes that do not compress at all (kept raw).
    @Test("every kind of input is stored in the smaller form and reads back byte for byte")
    func roundTrip() throws {
        let text = Array(String(repeating: "{\"role\": \"assistant\", \"content\": \"ls -la\"}\n", count: 4000).utf8)
        // Hex digits of noise: 4 bits of entropy per byte, so about half the size compressed.
        let halfNoise = Array(Self.noise(60_000, seed: 7).map { String($0 & 0x0F, radix: 16) }.joined().utf8)
        let fullNoise = Self.noise(100_000, seed: 11)
        let dir = TempDir()
        let log = try EventLog.create(at: dir.store)
        for (bytes, bound) in [(text, text.count / 4), (halfNoise, halfNoise.count), (fullNoise, fullNoise.count + 9)] {
            let blob = PreparedBlob(bytes)
            #expect(blob.storedSize <= bound)
            #expect(blob.storedSize > 9)
            try log.putBlobs([blob])
            #expect(try log.blob(blob.digest) == bytes)
        }
        #expect(PreparedBlob(halfNoise).storedSize > halfNoise.count / 4)
        #expect(PreparedBlob(fullNoise).storedSize == fullNoise.count + 9)
        #expect(try log.verify().isClean)
    }
}
