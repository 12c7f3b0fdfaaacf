/// Keys of the id index: 8 bytes of SHA-256(stream), then the 32-byte event id.
///
/// The stream prefix is for write locality, not lookup: a batch's events mostly belong to a few streams,
/// so their index entries land on a few B-tree pages instead of one random page each. With plain ids as
/// keys every batch rewrote most of the index (LMDB copies each touched page), which capped appends
/// near 20,000 events/s at a million events.
enum IDKey {
    static func make(stream: String, id: Digest) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(size)
        withUnsafeBytes(of: prefix(stream: stream)) { key.append(contentsOf: $0) }
        id.withUnsafeBytes { key.append(contentsOf: $0) }
        return key
    }

    /// The first 8 bytes of a key, as they lie in memory: the first 8 bytes of SHA-256(stream).
    static func prefix(stream: String) -> UInt64 {
        var stream = stream
        return stream.withUTF8 { prefix(streamUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// ``prefix(stream:)`` from the stream's UTF-8.
    static func prefix(streamUTF8: UnsafeRawBufferPointer) -> UInt64 {
        Digest.sha256(streamUTF8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    static let size = 40

    /// Whether the key at `a` equals the one at `b`, compared as five words.
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawPointer) -> Bool {
        for w in 0..<5
        where a.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self)
            != b.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self)
        {
            return false
        }
        return true
    }

    /// The event id inside a key.
    static func id(_ key: UnsafeRawBufferPointer) -> Digest? {
        guard key.count == size else { return nil }
        return Digest(raw: UnsafeRawBufferPointer(rebasing: key[8..<40]))
    }
}

/// Names in the stream index from store format 5 on: the 8 bytes of SHA-256(stream) that lead ``IDKey``,
/// not the stream's UTF-8.
///
/// A store holds an `instance/<id>` stream per dataset row, so the index has about as many entries as the
/// dataset has rows: keyed by the stream's UTF-8 (60 bytes and more) they took 80 bytes each, keyed by its
/// hash 27. Two streams whose hashes share these 8 bytes share posting lists; readers keep only the events
/// whose record names the stream they asked for.
enum StreamIndexName {
    static func bytes(stream: String) -> [UInt8] {
        withUnsafeBytes(of: IDKey.prefix(stream: stream)) { Array($0) }
    }

    static func bytes(streamUTF8: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeBytes(of: IDKey.prefix(streamUTF8: streamUTF8)) { Array($0) }
    }
}

/// Sequence numbers as 8-byte big-endian keys, so LMDB's byte order is numeric order.
enum SeqKey {
    static func bytes(_ seq: UInt64) -> [UInt8] {
        withUnsafeBytes(of: seq.bigEndian) { Array($0) }
    }

    static func decode(_ raw: UnsafeRawBufferPointer) -> UInt64? {
        guard raw.count == 8 else { return nil }
        return UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
    }
}
