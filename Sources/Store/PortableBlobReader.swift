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
/// checked (a damaged blob must not reach the server, which would keep it for every pull to refuse: a slice
/// against its hash, a delta by its frame's checksum when it has one) and compressed anew as one frame: with
/// one zstd context of each kind and scratch buffers kept from blob to blob, and the last few packs and delta
/// references kept decoded (slices are read in the order their pack holds them), so that rebuilding costs the
/// zstd work alone, not an allocation of contexts and output per blob.
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
        let held = DecodedBlobs(capacity: 3)
        self.lanes = (0..<max(1, lanes ?? min(4, System.coreCount))).map { _ in PortableBlobLane(log, held) }
    }

    /// The raw size of each of `digests` as the store records it (0 when it lacks one) and whether sending it
    /// means rebuilding it (a slice or a delta, decoded, hashed and compressed anew) rather than lending its
    /// stored bytes, read without decoding anything: for cutting an upload into statements of a bounded size,
    /// and sharing their work evenly between the lanes (``read(_:costs:_:)``).
    public func sizes(_ digests: [Digest]) throws -> [PortableBlobSize] {
        defer { log.environment.releaseMappedPagesIfPolicy() }
        var release = ScanPageRelease(log.environment, every: 32)
        return try log.environment.read { txn in
            try digests.map { d in
                // Each header read maps the pages around it: released as the lanes release theirs.
                defer { release.step() }
                return try log.storedBlob(txn, d) { stored in
                    let header = BlobFormat.header(stored)
                    return PortableBlobSize(
                        raw: header?.1 ?? 0, rebuilt: header.map { $0.0 == .slice || $0.0 == .delta } ?? false)
                } ?? PortableBlobSize(raw: 0, rebuilt: false)
            }
        }
    }

    /// Each of `digests` in portable form, passed to `make` (on the reader's threads, several at once; the view
    /// is valid during the call only), in the order of `digests`. `.notFound` when the store lacks one,
    /// `.corrupt` when one cannot be rebuilt or does not match its hash.
    ///
    /// The digests are cut into one contiguous run per lane: slices of one pack (and deltas against one
    /// reference) are usually cited together, so each lane decodes a pack once for its run. `costs` (from
    /// ``sizes(_:)``, in the order of `digests`) cuts the runs to equal work rather than equal counts: a run of
    /// trajectories rebuilt from deltas next to one of blobs lent as stored would otherwise keep one lane busy
    /// while the others wait.
    public func read<T: Sendable>(
        _ digests: [Digest], costs: [PortableBlobSize]? = nil, _ make: @Sendable (PortableBlobView) -> T
    ) throws -> [T] {
        let parts = min(lanes.count, digests.count)
        guard parts > 1 else { return try digests.map { d in try lanes[0].read(d) { make($0) } } }
        let bounds = Self.cut(digests.count, into: parts, costs: costs)
        let results = UnsafeMutableBufferPointer<Result<[T], any Error>>.allocate(capacity: parts)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let box = UncheckedLanes(lanes: lanes, digests: digests, results: results)
        // Each iteration uses its own lane and initializes its own slot of `results`.
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lower = bounds[part]
            let upper = bounds[part + 1]
            let lane = box.lanes[part]
            (box.results.baseAddress! + part).initialize(
                to: Result { try box.digests[lower..<upper].map { d in try lane.read(d) { make($0) } } })
        }
        var out: [T] = []
        out.reserveCapacity(digests.count)
        for result in results { out += try result.get() }
        return out
    }

    /// Where each of `parts` contiguous runs of `count` blobs starts (and the last ends): equal shares of the
    /// work `costs` tells, or of the count without them.
    static func cut(_ count: Int, into parts: Int, costs: [PortableBlobSize]?) -> [Int] {
        guard let costs, costs.count == count else { return (0...parts).map { count * $0 / parts } }
        // A blob lent as stored costs a lookup and a copy; one rebuilt, zstd (and for a slice SHA-256) over its raw
        // bytes.
        let weights = costs.map { $0.rebuilt ? $0.raw + 4096 : 1024 }
        let total = weights.reduce(0, +)
        var bounds = [0]
        var sum = 0
        for (i, w) in weights.enumerated() {
            sum += w
            // Run `bounds.count - 1` ends once its share is reached (the last one takes what is left).
            while bounds.count < parts && sum * parts >= total * bounds.count { bounds.append(i + 1) }
        }
        while bounds.count <= parts { bounds.append(count) }
        return bounds
    }
}

/// What ``PortableBlobReader/sizes(_:)`` tells of a blob before reading it.
public struct PortableBlobSize: Sendable {
    /// Its raw size (0 when the store lacks it).
    public let raw: Int
    /// Whether it is rebuilt to be sent (a slice or a delta) rather than lent as stored.
    public let rebuilt: Bool

    public init(raw: Int, rebuilt: Bool) {
        self.raw = raw
        self.rebuilt = rebuilt
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
    /// Rebuilt blobs up to this size (dataset rows, a few KB of JSON each, rebuilt from their pack) are
    /// compressed at ``smallInputLevel``: compressing them one by one is most of a push's zstd work, and level 1
    /// does it in three quarters of level 3's time for 2% more bytes on a SWE-smith dataset's rows. Larger ones
    /// (trajectories, text repeated step after step) compress faster and a third smaller at level 3.
    static let smallInput = 64 << 10
    static let smallInputLevel: Int32 = 1

    private let log: EventLog
    private let cctx: OpaquePointer
    private let dctx: OpaquePointer
    private var raw = ScratchBuffer()
    private var out = ScratchBuffer()
    private let held: DecodedBlobs
    private var release: ScanPageRelease

    init(_ log: EventLog, _ held: DecodedBlobs) {
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
                    guard let (reference, frame) = BlobFormat.deltaView(stored) else { return .damaged }
                    return .delta(reference, frame: frame, size: size)
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
                let pack = try decoded(s.pack, txn, by: digest)
                // Held until the blob is sent on: the cache reuses a pack's memory only once nobody holds it.
                return try withExtendedLifetime(pack) {
                    let whole = pack.bytes
                    guard s.offset + s.size <= whole.count else { throw damaged(digest, "its pack is too short") }
                    return try portable(
                        digest, UnsafeRawBufferPointer(rebasing: whole[s.offset..<(s.offset + s.size)]), body)
                }
            case .delta(let d, let frame, let size)?:
                let base = try decoded(d.reference, txn, by: digest)
                let room = raw.room(size)
                try decodeDelta(frame, size: size, against: base, from: d.offset, into: room.baseAddress!, for: digest)
                let bytes = UnsafeRawBufferPointer(rebasing: room[0..<size])
                // zstd checked the bytes against the frame's checksum (32 bits of XXH64) as it decoded them: they
                // are the bytes the delta was made of, hashed then (a wrong or damaged reference fails the
                // checksum). Hashing them again was a sixth of a push's CPU. Frames written before they carried
                // one are hashed.
                return try portable(digest, bytes, body, hashed: Zstd.hasContentChecksum(frame))
            }
        }
    }

    /// `bytes` (a rebuilt blob) checked against `digest` (unless `hashed`: already checked to be the bytes it was
    /// made of) and compressed into one frame, or kept raw when zstd does not make them smaller (as
    /// ``PreparedBlob`` stores them).
    private func portable<T>(
        _ digest: Digest, _ bytes: UnsafeRawBufferPointer, _ body: (PortableBlobView) throws -> T,
        hashed: Bool = false
    ) throws -> T {
        guard hashed || Digest.sha256(bytes) == digest else {
            throw damaged(digest, "its bytes no longer hash to its name")
        }
        let bound = ZSTD_compressBound(bytes.count)
        let room = out.room(bound)
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
        let level = bytes.count <= Self.smallInput ? Self.smallInputLevel : Zstd.level
        var settings: [(ZSTD_cParameter, Int32)] = [(ZSTD_c_compressionLevel, level)]
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
    ///
    /// Decoded into memory the cache gives back (a pack evicted earlier): a new 16 MB array per pack cost as
    /// much in page faults and zeroing as decoding it. Not checked against its hash (as `EventLog.blob` does
    /// not check what it reads on the way): every blob taken from it is.
    ///
    /// A reference may itself be a delta (an SFT line is stored against its trajectory, and the trajectory
    /// against the first of its run): it is decoded the same way, against its own reference (`depth` 1), into
    /// memory of the cache. Anything deeper is read the long way.
    private func decoded(
        _ name: Digest, _ txn: LMDBTransaction, by digest: Digest, depth: Int = 0
    ) throws -> DecodedBlob {
        if let found = held.get(name) { return found }
        let stored = try log.storedBlob(txn, name) { stored -> Reference in
            // What others are stored against is stored whole, or as a delta (an SFT line's trajectory); anything
            // else is read below.
            guard BlobFormat.sliceReference(stored) == nil, let (codec, size) = BlobFormat.header(stored) else {
                return .other
            }
            let body = UnsafeRawBufferPointer(rebasing: stored[BlobFormat.headerSize...])
            switch codec {
            case .raw:
                guard body.count == size else {
                    throw damaged(digest, "blob \(name.hex) it is stored against is damaged")
                }
                let out = held.memory(size)
                out.fill(body)
                return .decoded(out)
            case .zstd:
                let out = held.memory(size)
                ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
                let n = ZSTD_decompressDCtx(dctx, out.memory.baseAddress, size, body.baseAddress, body.count)
                guard ZSTD_isError(n) == 0, n == size else {
                    throw damaged(digest, "blob \(name.hex) it is stored against does not decode")
                }
                out.count = size
                return .decoded(out)
            case .delta:
                guard depth == 0, let (reference, frame) = BlobFormat.deltaView(stored) else { return .other }
                return .delta(reference, frame: frame, size: size)
            case .slice:
                return .other
            }
        }
        let found: DecodedBlob
        switch stored {
        case nil:
            throw damaged(digest, "it is stored against blob \(name.hex), which is missing")
        case .decoded(let d)?:
            found = d
        case .delta(let reference, let frame, let size)?:
            let base = try decoded(reference.reference, txn, by: digest, depth: depth + 1)
            found = held.memory(size)
            try decodeDelta(
                frame, size: size, against: base, from: reference.offset, into: found.memory.baseAddress!,
                for: digest, storedAgainst: name)
            found.count = size
        case .other?:
            // Stored as a slice, or against another blob twice over (not what smithlog writes): the long way.
            let bytes = try log.blob(txn, name, depth: 1)
            found = held.memory(bytes.count)
            bytes.withUnsafeBytes { found.fill($0) }
        }
        held.put(name, found)
        return found
    }

    /// Decodes delta `frame` into `size` bytes at `out`, against `base`'s bytes from `offset` on, its frame's
    /// checksum (when it has one) checked by zstd as it decoded. The delta is `digest`'s own, or (`storedAgainst`)
    /// that of the blob `digest` is stored against; a failure names which (`.corrupt`).
    private func decodeDelta(
        _ frame: UnsafeRawBufferPointer, size: Int, against base: DecodedBlob, from offset: Int,
        into out: UnsafeMutableRawPointer, for digest: Digest, storedAgainst name: Digest? = nil
    ) throws {
        let delta = name.map { "the delta of blob \($0.hex) it is stored against" } ?? "its delta"
        try withExtendedLifetime(base) {
            guard offset <= base.bytes.count else { throw damaged(digest, "\(delta) is against a reference too short") }
            let prefix = UnsafeRawBufferPointer(rebasing: base.bytes[offset...])
            ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
            guard ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Zstd.maxWindowLog)) == 0,
                ZSTD_isError(ZSTD_DCtx_refPrefix(dctx, prefix.baseAddress, prefix.count)) == 0
            else { throw damaged(digest, "zstd refused the reference of \(delta)") }
            let n = ZSTD_decompressDCtx(dctx, out, size, frame.baseAddress, frame.count)
            guard ZSTD_isError(n) == 0, n == size else { throw damaged(digest, "\(delta) does not decode") }
        }
    }

    private func damaged(_ digest: Digest, _ why: String) -> LogError {
        LogError(.corrupt, "blob \(digest.hex) is damaged (\(why))", path: log.location.logPath)
    }
}

/// How a blob others are stored against is stored: decoded already, a delta to decode against its own reference
/// (the frame's pointer valid until the read transaction ends), or some other way.
private enum Reference {
    case decoded(DecodedBlob)
    case delta(BlobFormat.DeltaReference, frame: UnsafeRawBufferPointer, size: Int)
    case other
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

/// A blob decoded for others to be read from (a pack, a delta's reference), in memory ``DecodedBlobs`` lends.
final class DecodedBlob: @unchecked Sendable {
    let memory: UnsafeMutableRawBufferPointer
    /// The bytes of `memory` that hold the blob; set once, by the lane that decodes it, before it is shared.
    var count = 0

    init(capacity: Int) { memory = .allocate(byteCount: capacity, alignment: 16) }

    deinit { memory.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: memory[0..<count]) }

    func fill(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress { memory.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        count = bytes.count
    }
}

/// The packs and delta references a ``PortableBlobReader``'s lanes read lately, decoded, shared by the lanes;
/// and the memory of the last one evicted, kept for the next one decoded.
///
/// Unlike ``PackCache`` it hands its memory on: a push decodes every pack of a store in turn, and a new
/// allocation each time is mapped, faulted in and zeroed by the kernel page by page. An evicted entry a lane
/// still reads from is not reused (it is freed when that lane lets go of it).
final class DecodedBlobs: Sendable {
    private let state: Mutex<(entries: RecentlyUsed<DecodedBlob>, spare: DecodedBlob?)>

    /// `capacity`: the entries kept (each at most a 16 MB pack).
    init(capacity: Int) { state = Mutex((RecentlyUsed(capacity: capacity), nil)) }

    /// The entry of `digest`, made the most recently used: a run's first trajectory, which every other one of
    /// the run is stored against, stays while the others come and go.
    func get(_ digest: Digest) -> DecodedBlob? {
        state.withLock { $0.entries.get(digest) }
    }

    func put(_ digest: Digest, _ blob: DecodedBlob) {
        state.withLock { s in
            guard var evicted = s.entries.put(digest, blob) else { return }
            // Only when no lane holds it any more (this reference is the only one).
            if isKnownUniquelyReferenced(&evicted) { s.spare = evicted }
        }
    }

    /// Room for `count` bytes: the spare memory when it is large enough, else new memory (rounded up to 4 MB,
    /// so that packs of slightly different sizes reuse each other's).
    func memory(_ count: Int) -> DecodedBlob {
        let spare: DecodedBlob? = state.withLock { s in
            guard let spare = s.spare, spare.memory.count >= count else { return nil }
            s.spare = nil
            return spare
        }
        if let spare { return spare }
        return DecodedBlob(capacity: max(1, (count + (4 << 20) - 1) / (4 << 20) * (4 << 20)))
    }
}
