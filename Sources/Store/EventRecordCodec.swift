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
    /// Byte offset of the recording time in a record.
    static let recordedAtOffset = 73
    /// Byte offset of the schema version in a record.
    static let schemaVersionOffset = 81
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
    /// The envelope is sized first and written through a pointer: a dozen appends to the array, each
    /// checking uniqueness and capacity, cost a tenth of an append's preparation.
    static func encode(
        seq: UInt64, id: Digest, previousHash: Digest, recordedAt: Int64, schemaVersion: Int, type: String,
        stream: String, actor: String, blobs: [Digest], into out: inout [UInt8], writePayload: (inout [UInt8]) -> Void
    ) {
        var type = type
        var stream = stream
        var actor = actor
        let start = out.count
        let size =
            typeOffset + type.utf8.count + 4 + stream.utf8.count + 2 + actor.utf8.count + 4 + 32 * blobs.count + 4
        appendZeros(size, to: &out)
        out.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress! + start
            p.storeBytes(of: version, as: UInt8.self)
            p.storeBytes(of: seq.littleEndian, toByteOffset: seqOffset, as: UInt64.self)
            id.withUnsafeBytes { (p + idOffset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            previousHash.withUnsafeBytes { (p + previousHashOffset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            p.storeBytes(
                of: UInt64(bitPattern: recordedAt).littleEndian, toByteOffset: recordedAtOffset, as: UInt64.self)
            p.storeBytes(
                of: UInt16(truncatingIfNeeded: schemaVersion).littleEndian, toByteOffset: schemaVersionOffset,
                as: UInt16.self)
            var at = typeOffset - 2
            at = put(&type, UInt16.self, p, at)
            at = put(&stream, UInt32.self, p, at)
            at = put(&actor, UInt16.self, p, at)
            p.storeBytes(of: UInt32(blobs.count).littleEndian, toByteOffset: at, as: UInt32.self)
            at += 4
            for b in blobs {
                b.withUnsafeBytes { (p + at).copyMemory(from: $0.baseAddress!, byteCount: 32) }
                at += 32
            }
        }
        let lengthOffset = out.count - 4
        writePayload(&out)
        let length = UInt32(out.count - lengthOffset - 4)
        out.withUnsafeMutableBytes {
            $0.storeBytes(of: length.littleEndian, toByteOffset: lengthOffset, as: UInt32.self)
        }
    }

    /// Writes `s` at `p + at`, after its length as an `L`; returns the offset past it.
    @inline(__always)
    private static func put<L: FixedWidthInteger>(
        _ s: inout String, _: L.Type, _ p: UnsafeMutableRawPointer, _ at: Int
    ) -> Int {
        s.withUTF8 { u in
            p.storeBytes(of: L(truncatingIfNeeded: u.count).littleEndian, toByteOffset: at, as: L.self)
            if let base = u.baseAddress {
                (p + at + MemoryLayout<L>.size).copyMemory(from: base, byteCount: u.count)
            }
            return at + MemoryLayout<L>.size + u.count
        }
    }

    /// Grows `out` by `count` zero bytes, copied from a buffer of zeros (a generic fill goes byte by byte).
    private static func appendZeros(_ count: Int, to out: inout [UInt8]) {
        var left = count
        while left > 0 {
            let n = min(left, zeros.count)
            zeros.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
            left -= n
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 1024)

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
