/// The stored form of an event: a little-endian binary envelope followed by the payload's JSON bytes.
///
/// Binary so that replaying millions of events costs a few copies each, not a JSON parse of the
/// envelope. Version 2 (written from store format 5 on):
/// `u8 version, [32] id, [32] previous hash, u16 type code, i64 recordedAt ms, u16 schemaVersion,
///  varint len + stream, varint len + actor, varint count + [32]*count blobs, payload (the rest)`.
/// The seq is the record's key, and the type a code of the store's ``TypeCodes``: a dataset's
/// InstanceRegistered record went from 454 to 417 bytes, nine to a page instead of eight. From format 6 the
/// version byte carries ``givenIDFlag`` when the appender gave the id. From format 7 it may carry
/// ``originFlag``: the event was pulled from another store, and `[16] origin store, varint origin seq` follow the
/// blobs (a record without it is this store's own, its origin seq its seq).
/// Version 1 (formats 1-4, still read):
/// `u8 version, u64 seq, [32] id, [32] previous hash, i64 recordedAt ms, u16 schemaVersion,
///  u16 len + type, u32 len + stream, u16 len + actor, u32 count + [32]*count blobs, u32 len + payload`.
enum EventRecordCodec {
    static let version: UInt8 = 2
    /// Set in a version 2 record's first byte (store format 6 on) when its id was given by the appender
    /// (``NewEvent/givenID``) rather than derived from its content: `verify` must not recompute it.
    static let givenIDFlag: UInt8 = 0x80
    /// Set in a version 2 record's first byte (store format 7 on) when the event was recorded by another store
    /// and pulled here: the record then holds its origin (see ``EventOrigin``) after the blobs.
    static let originFlag: UInt8 = 0x40

    /// Byte offset of the event id in a record.
    static let idOffset = 1
    /// Byte offset of the previous event's hash in a record.
    static let previousHashOffset = 33
    /// Byte offset of the type code in a record.
    static let typeCodeOffset = 65
    static let recordedAtOffset = 67
    static let schemaVersionOffset = 75
    /// Byte offset of the stream's length.
    static let streamOffset = 77

    /// Appends a record to `out` with a zero type code, id and previous hash, with `writePayload` appending
    /// the payload's bytes in place.
    ///
    /// The id, previous hash and type code sit at fixed offsets (``idOffset``, ``previousHashOffset``,
    /// ``typeCodeOffset``), so that they can be written in once known: the type code inside the write
    /// transaction, where codes are assigned. The envelope is sized first and written through a pointer: a
    /// dozen appends to the array, each checking uniqueness and capacity, cost a tenth of an append's
    /// preparation. Returns the stream's offset in `out`.
    static func encode(
        recordedAt: Int64, schemaVersion: Int, stream: String, actor: String, blobs: [Digest], givenID: Bool,
        origin: EventOrigin? = nil, into out: inout [UInt8], writePayload: (inout [UInt8]) -> Void
    ) -> Int {
        var stream = stream
        var actor = actor
        let start = out.count
        let streamCount = stream.utf8.count
        let actorCount = actor.utf8.count
        let size =
            streamOffset + Varint.size(streamCount) + streamCount + Varint.size(actorCount) + actorCount
            + Varint.size(blobs.count) + 32 * blobs.count
            + (origin.map { StoreID.size + Varint.size(Int($0.seq)) } ?? 0)
        appendZeros(size, to: &out)
        var streamStart = 0
        out.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress! + start
            let flags = (givenID ? givenIDFlag : 0) | (origin == nil ? 0 : originFlag)
            p.storeBytes(of: version | flags, as: UInt8.self)
            p.storeBytes(
                of: UInt64(bitPattern: recordedAt).littleEndian, toByteOffset: recordedAtOffset, as: UInt64.self)
            p.storeBytes(
                of: UInt16(truncatingIfNeeded: schemaVersion).littleEndian, toByteOffset: schemaVersionOffset,
                as: UInt16.self)
            var at = Varint.store(streamCount, p + streamOffset) + streamOffset
            streamStart = start + at
            at = put(&stream, p, at)
            at += Varint.store(actorCount, p + at)
            at = put(&actor, p, at)
            at += Varint.store(blobs.count, p + at)
            for b in blobs {
                b.withUnsafeBytes { (p + at).copyMemory(from: $0.baseAddress!, byteCount: 32) }
                at += 32
            }
            if let origin {
                origin.store.bytes.withUnsafeBytes {
                    (p + at).copyMemory(from: $0.baseAddress!, byteCount: StoreID.size)
                }
                at += StoreID.size
                at += Varint.store(Int(origin.seq), p + at)
            }
        }
        writePayload(&out)
        return streamStart
    }

    /// Copies `s`'s UTF-8 to `p + at`; returns the offset past it.
    @inline(__always)
    private static func put(_ s: inout String, _ p: UnsafeMutableRawPointer, _ at: Int) -> Int {
        s.withUTF8 { u in
            if let base = u.baseAddress { (p + at).copyMemory(from: base, byteCount: u.count) }
            return at + u.count
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

    /// The id a record holds, of either version, without decoding the rest; nil when it is too short.
    static func id(_ raw: UnsafeRawBufferPointer) -> Digest? {
        let offset = raw.first == 1 ? 9 : idOffset  // version 1 has the seq first
        guard raw.count >= offset + 32 else { return nil }
        return Digest(raw: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 32]))
    }

    /// Whether the record's id was given by its appender (see ``givenIDFlag``).
    static func hasGivenID(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let first = raw.first else { return false }
        return first & ~originFlag == version | givenIDFlag
    }

    /// Whether `first` (a record's first byte) is that of a version 2 record, with any flags.
    static func isVersion2(_ first: UInt8) -> Bool {
        first & ~(givenIDFlag | originFlag) == version
    }

    /// Decodes a stored record kept under `seq`; nil when the bytes are not a well-formed record or its type
    /// code has no name in `types`. A version 1 record reports the seq it holds (``EventLog/verify`` checks it
    /// against the key).
    static func decode(_ raw: UnsafeRawBufferPointer, seq: UInt64, types: TypeCodes.Names) -> RecordedEvent? {
        guard let first = raw.first else { return nil }
        if isVersion2(first) { return decode2(raw, seq: seq, types: types) }
        return first == 1 ? decode1(raw) : nil
    }

    private static func decode2(_ raw: UnsafeRawBufferPointer, seq: UInt64, types: TypeCodes.Names) -> RecordedEvent? {
        var r = ByteReader(raw)
        guard let first = r.u8(), isVersion2(first),
            let id = r.digest(),
            let prev = r.digest(),
            let code = r.int(UInt16.self),
            let type = types.name(code),
            let at = r.int(UInt64.self),
            let schema = r.int(UInt16.self),
            let stream = r.varintString(),
            let actor = r.varintString(),
            let blobCount = r.varint(), blobCount <= (raw.count - r.offset) / 32
        else { return nil }
        var blobs: [Digest] = []
        blobs.reserveCapacity(blobCount)
        for _ in 0..<blobCount {
            guard let d = r.digest() else { return nil }
            blobs.append(d)
        }
        var origin: EventOrigin?
        if first & originFlag != 0 {
            guard let store = r.bytes(StoreID.size), let originSeq = r.varint(), originSeq > 0 else { return nil }
            origin = EventOrigin(store: StoreID(uncheckedBytes: store), seq: UInt64(originSeq))
        }
        guard let payload = r.bytes(raw.count - r.offset) else { return nil }
        return RecordedEvent(
            seq: seq, id: id, previousHash: prev, recordedAt: Int64(bitPattern: at), schemaVersion: Int(schema),
            type: type, stream: stream, actor: actor, blobs: blobs, payloadBytes: payload, origin: origin,
            hasGivenID: first & givenIDFlag != 0)
    }

    private static func decode1(_ raw: UnsafeRawBufferPointer) -> RecordedEvent? {
        var r = ByteReader(raw)
        guard r.u8() == 1,
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

/// Unsigned LEB128 lengths in records.
enum Varint {
    static func size(_ value: Int) -> Int {
        var v = UInt(value)
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    /// Writes `value` at `p`; returns the bytes written.
    @inline(__always)
    static func store(_ value: Int, _ p: UnsafeMutableRawPointer) -> Int {
        var v = UInt(value)
        var n = 0
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: n, as: UInt8.self)
            v >>= 7
            n += 1
        }
        p.storeBytes(of: UInt8(v), toByteOffset: n, as: UInt8.self)
        return n + 1
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

    /// An unsigned LEB128 value of at most 9 bytes that fits an `Int`.
    mutating func varint() -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count && shift < 63 {
            let byte = raw[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value <= UInt64(Int.max) ? Int(value) : nil }
            shift += 7
        }
        return nil
    }

    /// A string after its varint length.
    mutating func varintString() -> String? {
        guard let n = varint(), raw.count - offset >= n else { return nil }
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + n]), as: UTF8.self)
    }

    mutating func string<L: FixedWidthInteger>(_: L.Type) -> String? {
        guard let n = int(L.self), raw.count - offset >= Int(n) else { return nil }
        defer { offset += Int(n) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + Int(n)]), as: UTF8.self)
    }
}
