/// The stored form of an event: a little-endian binary envelope followed by the payload's JSON bytes.
///
/// Binary so that replaying millions of events costs a few copies each, not a JSON parse of the
/// envelope. Layout (version 1):
/// `u8 version, u64 seq, [32] id, [32] previous hash, i64 recordedAt ms, u16 schemaVersion,
///  u16 len + type, u32 len + stream, u16 len + actor, u32 count + [32]*count blobs, u32 len + payload`.
enum EventRecordCodec {
    static let version: UInt8 = 1

    /// Byte offset of the seq in a record.
    static let seqOffset = 1
    /// Byte offset of the event id in a record.
    static let idOffset = 9
    /// Byte offset of the previous event's hash in a record.
    static let previousHashOffset = 41
    /// Byte offset of the type's UTF-8 (after its 2-byte length) in a record.
    static let typeOffset = 85

    static func encode(_ e: RecordedEvent, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        encode(
            seq: e.seq, id: e.id, previousHash: e.previousHash, recordedAt: e.recordedAt,
            schemaVersion: e.schemaVersion, type: e.type, stream: e.stream, actor: e.actor, blobs: e.blobs,
            into: &out
        ) { $0.append(contentsOf: e.payloadBytes) }
    }

    /// Appends a record to `out`, with `writePayload` appending the payload's bytes in place.
    ///
    /// The seq, id and previous hash sit at fixed offsets (``seqOffset``, ``idOffset``,
    /// ``previousHashOffset``), so a record encoded before they are known can have them written in later.
    static func encode(
        seq: UInt64, id: Digest, previousHash: Digest, recordedAt: Int64, schemaVersion: Int, type: String,
        stream: String, actor: String, blobs: [Digest], into out: inout [UInt8], writePayload: (inout [UInt8]) -> Void
    ) {
        out.append(version)
        appendInt(seq, &out)
        id.withUnsafeBytes { out.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
        previousHash.withUnsafeBytes { out.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
        appendInt(UInt64(bitPattern: recordedAt), &out)
        appendInt(UInt16(truncatingIfNeeded: schemaVersion), &out)
        appendString(type, UInt16.self, &out)
        appendString(stream, UInt32.self, &out)
        appendString(actor, UInt16.self, &out)
        appendInt(UInt32(blobs.count), &out)
        for b in blobs { b.withUnsafeBytes { out.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) } }
        let lengthOffset = out.count
        appendInt(UInt32(0), &out)
        writePayload(&out)
        let length = UInt32(out.count - lengthOffset - 4)
        out.withUnsafeMutableBytes {
            $0.storeBytes(of: length.littleEndian, toByteOffset: lengthOffset, as: UInt32.self)
        }
    }

    /// Decodes a stored record; nil when the bytes are not a well-formed record.
    static func decode(_ raw: UnsafeRawBufferPointer) -> RecordedEvent? {
        var r = ByteReader(raw)
        guard r.u8() == version,
            let seq = r.int(UInt64.self),
            let id = r.digest(),
            let prev = r.digest(),
            let at = r.int(UInt64.self),
            let schema = r.int(UInt16.self),
            let type = r.string(UInt16.self),
            let stream = r.string(UInt32.self),
            let actor = r.string(UInt16.self),
            let blobCount = r.int(UInt32.self)
        else { return nil }
        var blobs: [Digest] = []
        blobs.reserveCapacity(Int(blobCount))
        for _ in 0..<blobCount {
            guard let d = r.digest() else { return nil }
            blobs.append(d)
        }
        guard let payloadCount = r.int(UInt32.self), let payload = r.bytes(Int(payloadCount)), r.atEnd else {
            return nil
        }
        return RecordedEvent(
            seq: seq, id: id, previousHash: prev, recordedAt: Int64(bitPattern: at), schemaVersion: Int(schema),
            type: type, stream: stream, actor: actor, blobs: blobs, payloadBytes: payload)
    }

    /// Through a typed buffer: `append(contentsOf:)` copies those with `memcpy`, raw ones a byte at a time.
    private static func appendInt<I: FixedWidthInteger>(_ v: I, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    private static func appendString<L: FixedWidthInteger>(_ s: String, _: L.Type, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            appendInt(L(truncatingIfNeeded: u.count), &out)
            out.append(contentsOf: u)
        }
    }
}

/// A bounds-checked little-endian reader over stored bytes; every read returns nil past the end.
struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var atEnd: Bool { offset == raw.count }

    mutating func u8() -> UInt8? {
        guard offset < raw.count else { return nil }
        defer { offset += 1 }
        return raw[offset]
    }

    mutating func int<I: FixedWidthInteger>(_: I.Type) -> I? {
        let n = MemoryLayout<I>.size
        guard raw.count - offset >= n else { return nil }
        defer { offset += n }
        return I(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: I.self))
    }

    mutating func digest() -> Digest? {
        guard raw.count - offset >= 32 else { return nil }
        defer { offset += 32 }
        return Digest(raw: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 32]))
    }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, raw.count - offset >= n else { return nil }
        defer { offset += n }
        return Array(raw[offset..<offset + n])
    }

    mutating func string<L: FixedWidthInteger>(_: L.Type) -> String? {
        guard let n = int(L.self), raw.count - offset >= Int(n) else { return nil }
        defer { offset += Int(n) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + Int(n)]), as: UTF8.self)
    }
}
