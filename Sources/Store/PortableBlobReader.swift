import CZstd
import Dispatch
import Synchronization

/// A blob in the form a remote keeps it, lent for the duration of a call: its codec (`raw` or `zstd`), raw size
/// and body (the raw bytes, or one zstd frame that needs no other blob to decode).
public struct PortableBlobView {
    public let digest: Digest
    public let codec: String
    public let rawSize: Int
    /// Valid only during the call it is passed to.
    public let body: UnsafeRawBufferPointer
}

/// Reads blobs one after another in their portable form, for uploading many of them (`push`).
///
/// A blob stored whole (raw or zstd) is lent as stored, not decoded. A slice of a pack or a delta is rebuilt,
/// checked against its hash (a damaged blob must not reach the server, which would keep it for every pull to
/// refuse) and compressed anew as one frame: with one zstd context of each kind and scratch buffers kept from
/// blob to blob, and the last few packs and delta references kept decoded (slices are read in the order their
/// pack holds them), so that rebuilding costs the zstd work alone, not an allocation of contexts and output per blob.
/// The store pages read are released every few hundred blobs when the log's ``MemoryPolicy`` says so: its
/// resident memory stays flat however many blobs a push sends. The work is shared by a few threads (lanes),
/// each with its own contexts and buffers; one reader serves one caller at a time.
public final class PortableBlobReader {
    private let log: EventLog
    private let lanes: [PortableBlobLane]

    /// A reader of `log`'s blobs on `lanes` threads at once (nil: one per core, at most four).
    public init(_ log: EventLog, lanes: Int? = nil) {
        self.log = log
        // A few packs, not more (the lanes read neighbouring runs of blobs, mostly slices of one pack): the reader's
        // memory must not grow with the store.
        let held = PackCache(capacity: 3)
        self.lanes = (0..<max(1, lanes ?? min(4, System.coreCount))).map { _ in PortableBlobLane(log, held) }
    }

    /// The raw size of each of `digests` as the store records it (0 when it lacks one), read without decoding
    /// anything: for cutting an upload into statements of a bounded size before reading them.
    public func rawSizes(_ digests: [Digest]) throws -> [Int] {
        defer { log.environment.releaseMappedPagesIfPolicy() }
        var release = ScanPageRelease(log.environment, every: 32)
        return try log.environment.read { txn in
            try digests.map { d in
                // Each header read maps the pages around it: released as the lanes release theirs.
                defer { release.step() }
                return try log.storedBlob(txn, d) { BlobFormat.header($0)?.1 ?? 0 } ?? 0
            }
        }
    }

    /// Each of `digests` in portable form, passed to `make` (on the reader's threads, several at once; the view
    /// is valid during the call only), in the order of `digests`. `.notFound` when the store lacks one,
    /// `.corrupt` when one cannot be rebuilt or does not match its hash.
    ///
    /// The digests are cut into one contiguous run per lane: slices of one pack (and deltas against one
    /// reference) are usually cited together, so each lane decodes a pack once for its run.
    public func read<T: Sendable>(_ digests: [Digest], _ make: @Sendable (PortableBlobView) -> T) throws -> [T] {
        let parts = min(lanes.count, digests.count)
        guard parts > 1 else { return try digests.map { d in try lanes[0].read(d) { make($0) } } }
        let results = UnsafeMutableBufferPointer<Result<[T], any Error>>.allocate(capacity: parts)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let box = UncheckedLanes(lanes: lanes, digests: digests, results: results)
        // Each iteration uses its own lane and initializes its own slot of `results`.
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lower = box.digests.count * part / parts
            let upper = box.digests.count * (part + 1) / parts
            let lane = box.lanes[part]
            (box.results.baseAddress! + part).initialize(
                to: Result { try box.digests[lower..<upper].map { d in try lane.read(d) { make($0) } } })
        }
        var out: [T] = []
        out.reserveCapacity(digests.count)
        for result in results { out += try result.get() }
        return out
    }
}

/// Carries the lanes and the result slots into `concurrentPerform`, whose iterations touch disjoint ones only.
private struct UncheckedLanes<T>: @unchecked Sendable {
    let lanes: [PortableBlobLane]
    let digests: [Digest]
    let results: UnsafeMutableBufferPointer<Result<[T], any Error>>
}

/// One thread's share of a ``PortableBlobReader``: its zstd contexts and scratch buffers.
private final class PortableBlobLane {
    private let log: EventLog
    private let cctx: OpaquePointer
    private let dctx: OpaquePointer
    private var raw = ScratchBuffer()
    private var out = ScratchBuffer()
    private let held: PackCache
    private var release: ScanPageRelease

    init(_ log: EventLog, _ held: PackCache) {
        self.log = log
        self.held = held
        guard let c = ZSTD_createCCtx(), let d = ZSTD_createDCtx() else { fatalError("zstd: out of memory") }
        cctx = c
        dctx = d
        // More often than a scan of blobs does: several lanes read at once, each blob maps up to 64 KB around it.
        release = ScanPageRelease(log.environment, every: 32)
    }

    deinit {
        ZSTD_freeCCtx(cctx)
        ZSTD_freeDCtx(dctx)
        raw.free()
        out.free()
    }

    /// Calls `body` with blob `digest` in portable form; `.notFound` when the store lacks it, `.corrupt` when it
    /// cannot be rebuilt or does not match its hash.
    func read<T>(_ digest: Digest, _ body: (PortableBlobView) throws -> T) throws -> T {
        defer { release.step() }
        return try log.environment.read { txn -> T in
            // The stored value's pointer stays valid until the read transaction ends.
            let found = try log.storedBlob(txn, digest) { stored -> Stored in
                if let reference = BlobFormat.sliceReference(stored) { return .slice(reference) }
                guard let (codec, size) = BlobFormat.header(stored) else { return .damaged }
                switch codec {
                case .raw, .zstd:
                    return .whole(codec, size, UnsafeRawBufferPointer(rebasing: stored[BlobFormat.headerSize...]))
                case .delta:
                    guard stored.count > BlobFormat.deltaHeaderSize else { return .damaged }
                    let offset = UInt64(
                        littleEndian: stored.loadUnaligned(fromByteOffset: BlobFormat.headerSize + 32, as: UInt64.self))
                    guard offset <= UInt64(Int.max) else { return .damaged }
                    let name = UnsafeRawBufferPointer(
                        rebasing: stored[BlobFormat.headerSize..<(BlobFormat.headerSize + 32)])
                    return .delta(
                        .init(reference: Digest(raw: name), offset: Int(offset)),
                        frame: UnsafeRawBufferPointer(rebasing: stored[BlobFormat.deltaHeaderSize...]), size: size)
                case .slice: return .damaged
                }
            }
            switch found {
            case nil:
                throw LogError(.notFound, "no blob \(digest.hex) in the store")
            case .damaged?:
                throw damaged(digest, "its stored value cannot be read")
            case .whole(let codec, let size, let bytes)?:
                return try body(
                    PortableBlobView(digest: digest, codec: codec == .raw ? "raw" : "zstd", rawSize: size, body: bytes))
            case .slice(let s)?:
                let packBytes = try decoded(s.pack, txn, by: digest)
                guard s.offset + s.size <= packBytes.count else { throw damaged(digest, "its pack is too short") }
                return try packBytes.withUnsafeBytes { whole in
                    try portable(digest, UnsafeRawBufferPointer(rebasing: whole[s.offset..<(s.offset + s.size)]), body)
                }
            case .delta(let d, let frame, let size)?:
                let base = try decoded(d.reference, txn, by: digest)
                guard d.offset <= base.count else { throw damaged(digest, "its reference is too short") }
                let bytes = try base.withUnsafeBytes { whole -> UnsafeRawBufferPointer in
                    let prefix = UnsafeRawBufferPointer(rebasing: whole[d.offset...])
                    let room = raw.room(size)
                    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
                    guard ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Zstd.maxWindowLog)) == 0,
                        ZSTD_isError(ZSTD_DCtx_refPrefix(dctx, prefix.baseAddress, prefix.count)) == 0
                    else { throw damaged(digest, "zstd refused its reference") }
                    let n = ZSTD_decompressDCtx(dctx, room.baseAddress, size, frame.baseAddress, frame.count)
                    guard ZSTD_isError(n) == 0, n == size else { throw damaged(digest, "its delta does not decode") }
                    return UnsafeRawBufferPointer(rebasing: room[0..<size])
                }
                return try portable(digest, bytes, body)
            }
        }
    }

    /// `bytes` (a rebuilt blob) checked against `digest` and compressed into one frame, or kept raw when zstd
    /// does not make them smaller (as ``PreparedBlob`` stores them).
    private func portable<T>(
        _ digest: Digest, _ bytes: UnsafeRawBufferPointer, _ body: (PortableBlobView) throws -> T
    ) throws -> T {
        guard Digest.sha256(bytes) == digest else { throw damaged(digest, "its bytes no longer hash to its name") }
        let bound = ZSTD_compressBound(bytes.count)
        let room = out.room(bound)
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
        var settings: [(ZSTD_cParameter, Int32)] = [(ZSTD_c_compressionLevel, Zstd.level)]
        if bytes.count > Zstd.longInput {
            // As Zstd.compress does for long inputs: a window spanning them.
            settings += [
                (ZSTD_c_windowLog, Zstd.windowLog(covering: bytes.count, max: Zstd.plainMaxWindowLog)),
                (ZSTD_c_enableLongDistanceMatching, 1),
            ]
        }
        for (parameter, value) in settings where ZSTD_isError(ZSTD_CCtx_setParameter(cctx, parameter, value)) != 0 {
            throw LogError(.io, "blob \(digest.hex): zstd refused a parameter")
        }
        let n = ZSTD_compress2(cctx, room.baseAddress, bound, bytes.baseAddress, bytes.count)
        guard ZSTD_isError(n) == 0 else {
            throw LogError(.io, "blob \(digest.hex): zstd failed: \(String(cString: ZSTD_getErrorName(n)))")
        }
        if n >= bytes.count {
            return try body(PortableBlobView(digest: digest, codec: "raw", rawSize: bytes.count, body: bytes))
        }
        return try body(
            PortableBlobView(
                digest: digest, codec: "zstd", rawSize: bytes.count, body: UnsafeRawBufferPointer(rebasing: room[0..<n])
            ))
    }

    /// The decoded bytes of the blob `name` that blob `digest` is stored against (a pack, a delta's reference).
    private func decoded(_ name: Digest, _ txn: LMDBTransaction, by digest: Digest) throws -> [UInt8] {
        if let bytes = held.get(name) { return bytes }
        let bytes: [UInt8]
        do {
            bytes = try log.blob(txn, name, depth: 1)
        } catch let error as LogError where error.code == .notFound {
            throw damaged(digest, "it is stored against blob \(name.hex), which is missing")
        }
        held.put(name, bytes)
        return bytes
    }

    private func damaged(_ digest: Digest, _ why: String) -> LogError {
        LogError(.corrupt, "blob \(digest.hex) is damaged (\(why))", path: log.location.logPath)
    }
}

/// Where a stored value's bytes are, its pointers valid until the read transaction ends.
private enum Stored {
    case whole(BlobFormat.Codec, Int, UnsafeRawBufferPointer)
    case slice(BlobFormat.SliceReference)
    case delta(BlobFormat.DeltaReference, frame: UnsafeRawBufferPointer, size: Int)
    case damaged
}

/// Memory reused from blob to blob, grown to the largest asked for; never initialised (zstd writes it).
private struct ScratchBuffer {
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// At least `count` bytes.
    mutating func room(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if buffer.count < count {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(count, 1 << 20), alignment: 16)
        }
        return buffer
    }

    func free() { buffer.deallocate() }
}
