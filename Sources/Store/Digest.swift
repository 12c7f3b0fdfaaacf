/// A SHA-256 digest: the identity of an event or a blob.
///
/// Stored inline (four words, no heap allocation): replay and appends create millions of these.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    // The 32 bytes in SHA-256 order, laid out in memory as they are on disk.
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// All zero bytes: the previous hash of the first event.
    static let zero = Digest(raw: UnsafeRawBufferPointer(start: nil, count: 0))

    /// Wraps 32 raw bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.init(uncheckedBytes: bytes)
    }

    /// Parses 64 lowercase or uppercase hex digits.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        guard let digest = text.withUTF8({ Digest(hexUTF8: $0) }) else { return nil }
        self = digest
    }

    /// Parses 64 hex digits given as UTF-8, straight into the digest's storage: replay decodes a few of these per
    /// event, millions of times, and the three intermediate arrays of a String-based parse were a visible cost.
    package init?(hexUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 64 else { return nil }
        var ok = true
        withUnsafeMutableBytes(of: &storage) { out in
            for i in 0..<32 {
                guard let hi = Self.nibble(utf8[2 * i]), let lo = Self.nibble(utf8[2 * i + 1]) else {
                    ok = false
                    return
                }
                out[i] = hi << 4 | lo
            }
        }
        guard ok else { return nil }
    }

    init(uncheckedBytes: [UInt8]) {
        uncheckedBytes.withUnsafeBytes { raw in
            withUnsafeMutableBytes(of: &storage) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(32)))
            }
        }
    }

    /// The first 32 bytes of `raw`.
    init(raw: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(32))) }
    }

    /// SHA-256 of `data`.
    ///
    /// Uses the incremental hasher, whose algorithm is fetched once per process: OpenSSL 3's one-shot `SHA256()`
    /// looks the algorithm up (taking locks and allocating) on every call, which cost more than hashing a small
    /// event record.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> Digest {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// SHA-256 of a byte array.
    public static func sha256(_ data: [UInt8]) -> Digest {
        data.withUnsafeBytes { sha256($0) }
    }

    /// The 32 raw bytes, big-endian as SHA-256 defines them.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the 32 raw bytes, without copying them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Lowercase hex, 64 characters.
    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: 64) { out in
                digits.withUTF8Buffer { d in
                    for (i, b) in raw.enumerated() {
                        out[2 * i] = d[Int(b >> 4)]
                        out[2 * i + 1] = d[Int(b & 0xf)]
                    }
                }
                return 64
            }
        }
    }

    public var description: String { hex }

    public static func == (a: Digest, b: Digest) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2
            && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    public static func < (a: Digest, b: Digest) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.lexicographicallyPrecedes(y) } }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
