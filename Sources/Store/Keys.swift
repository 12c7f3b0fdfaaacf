/// Keys of the id index: the stream's ``StreamKey``, then the 32-byte event id.
///
/// The stream key is for write locality, not lookup: a batch's events mostly belong to a few streams,
/// so their index entries land on a few B-tree pages instead of one random page each. With plain ids as
/// keys every batch rewrote most of the index (LMDB copies each touched page), which capped appends
/// near 20,000 events/s at a million events.
enum IDKey {
    /// `legacy`: keyed as in formats 1-4 (see ``StreamKey``).
    static func make(stream: String, id: Digest, legacy: Bool = false) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(size)
        withUnsafeBytes(of: StreamKey.word(stream: stream, legacy: legacy)) { key.append(contentsOf: $0) }
        id.withUnsafeBytes { key.append(contentsOf: $0) }
        return key
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

/// The 8 bytes that stand for a stream in the indexes: ahead of each event id in the id index, and (format 5
/// on) as the stream's name in the stream index, where the stream's UTF-8 (60 bytes and more for an
/// `instance/<id>` stream, one per dataset row) made entries of 80 bytes instead of 27.
///
/// From format 5: the first 4 bytes of the stream's name after its kind (the text after the first `/`,
/// zero-padded), then the first 4 bytes of SHA-256(stream). The name's bytes keep a sorted input's streams
/// together: a SWE-smith dataset comes sorted by instance id, and a batch of its rows then lands on a few
/// pages of each index instead of one page a row all over it (the pages a transaction dirties are held in
/// memory until it commits, so an import's memory grew with the store). The hash's bytes keep the rest apart.
/// Formats 1-4 (`legacy`): the first 8 bytes of SHA-256(stream).
///
/// Streams may share these bytes: the id index holds the event id too, and a read by stream keeps only the
/// events whose record names it.
enum StreamKey {
    /// The 8 bytes as a word, as they lie in memory.
    static func word(streamUTF8 stream: UnsafeRawBufferPointer, legacy: Bool = false) -> UInt64 {
        let hash = Digest.sha256(stream).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        if legacy { return hash }
        let start = (stream.firstIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        var word = hash
        withUnsafeMutableBytes(of: &word) { w in
            for k in 0..<4 { w[k] = start + k < stream.count ? stream[start + k] : 0 }
        }
        return word
    }

    static func word(stream: String, legacy: Bool = false) -> UInt64 {
        var stream = stream
        return stream.withUTF8 { word(streamUTF8: UnsafeRawBufferPointer($0), legacy: legacy) }
    }

    static func bytes(stream: String) -> [UInt8] {
        withUnsafeBytes(of: word(stream: stream)) { Array($0) }
    }

    static func bytes(streamUTF8: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeBytes(of: word(streamUTF8: streamUTF8)) { Array($0) }
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
