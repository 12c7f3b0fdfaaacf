import CZstd
import Dispatch
import Synchronization

/// Re-hashes the blobs stored whole (raw or zstd) for `verify`: each one decompressed once, into a buffer its
/// thread reuses, on all cores; a pack's slices are checked while its bytes are in hand.
///
/// Each raw byte is hashed once. A pack's slices are hashed by their ranges of its bytes; when they tile the
/// pack (one after another from its first byte to its last, as ``PreparedBlobPack`` writes them), every byte of
/// the pack is then checked against the name of a slice that events cite, and the pack is not hashed whole
/// again. A bit changed anywhere (the pack's bytes, a slice's reference, the pack's name) still shows: a slice
/// no longer hashes to its name or no longer finds its pack. A pack its slices do not tile is hashed whole too.
struct BlobRehash {
    /// A blob stored whole, and the slices stored against it (sorted by offset).
    struct Item {
        var digest: Digest
        /// The stored value in the map of the read transaction, which must outlive the check.
        var stored: UnsafeRawBufferPointer
        var slices: [Slice]
    }

    struct Slice {
        var digest: Digest
        var offset: Int
        var size: Int
    }

    /// What checking one item found: its raw bytes, and the first problem if any.
    struct Outcome: Sendable {
        var rawBytes = 0
        var problem: String?
    }

    /// Items are checked in batches of about this many raw bytes, or this many items, so that the list of items
    /// in hand (not their bytes, which stay in the map) is bounded however many blobs the store holds; and so are
    /// the store pages a batch maps (each item read maps up to 64 KB around it, released after each batch when
    /// the log's `MemoryPolicy` releases pages).
    static let batchBytes = 64 << 20
    static let batchItems = 256
    /// And of about this many stored bytes mapped, each item counted with the 64 KB around it: the pages a batch
    /// holds resident until it is released stay a few MB, as a long scan's do (``ScanPageRelease``).
    static let batchMapped = 2 * ScanPageRelease.budget

    private let scratches: [Scratch]

    init(threads: Int = System.coreCount) {
        scratches = (0..<max(1, threads)).map { _ in Scratch() }
    }

    /// Checks `items`, on as many threads as scratch buffers; outcomes in input order.
    func check(_ items: [Item]) -> [Outcome] {
        guard scratches.count > 1, items.count > 1 else {
            return items.map { Self.check($0, scratches[0]) }
        }
        return [Outcome](unsafeUninitializedCapacity: items.count) { results, initialized in
            let next = Counter()
            let box = UncheckedSendable((items, results, scratches))
            // Items are claimed one at a time: a 16 MB pack and a 2 KB trajectory do not cost alike.
            DispatchQueue.concurrentPerform(iterations: min(scratches.count, items.count)) { worker in
                let (items, results, scratches) = box.value
                while true {
                    let i = next.take()
                    guard i < items.count else { break }
                    (results.baseAddress! + i).initialize(to: Self.check(items[i], scratches[worker]))
                }
            }
            initialized = items.count
        }
    }

    private static func check(_ item: Item, _ scratch: Scratch) -> Outcome {
        guard let (codec, size) = BlobFormat.header(item.stored) else {
            return Outcome(problem: "blob \(item.digest.hex): stored bytes cannot be decompressed")
        }
        let body = UnsafeRawBufferPointer(rebasing: item.stored[BlobFormat.headerSize...])
        let raw: UnsafeRawBufferPointer?
        switch codec {
        case .raw: raw = body.count == size ? body : nil
        case .zstd: raw = scratch.decompress(body, size: size)
        case .slice, .delta: raw = nil
        }
        guard let raw else {
            return Outcome(problem: "blob \(item.digest.hex): stored bytes cannot be decompressed")
        }
        var outcome = Outcome(rawBytes: size)
        for slice in item.slices {
            guard slice.offset + slice.size <= raw.count,
                Digest.sha256(UnsafeRawBufferPointer(rebasing: raw[slice.offset..<(slice.offset + slice.size)]))
                    == slice.digest
            else {
                outcome.problem = "blob \(slice.digest.hex): bytes do not hash to its name (altered)"
                return outcome
            }
        }
        if !tiles(item.slices, size), Digest.sha256(raw) != item.digest {
            outcome.problem = "blob \(item.digest.hex): bytes do not hash to its name (altered)"
        }
        return outcome
    }

    /// Whether `slices` (sorted by offset) cover `0..<size` exactly, one after another.
    private static func tiles(_ slices: [Slice], _ size: Int) -> Bool {
        guard !slices.isEmpty else { return false }
        var end = 0
        for slice in slices {
            guard slice.offset == end else { return false }
            end += slice.size
        }
        return end == size
    }

    /// One thread's decompression context and output buffer, grown to the largest blob it has met and reused.
    final class Scratch: @unchecked Sendable {
        private let context: OpaquePointer?
        private var buffer: UnsafeMutableRawPointer?
        private var capacity = 0

        init() { context = ZSTD_createDCtx() }

        deinit {
            ZSTD_freeDCtx(context)
            buffer?.deallocate()
        }

        /// The frame's `size` bytes, valid until the next call; nil if the frame is damaged.
        func decompress(_ frame: UnsafeRawBufferPointer, size: Int) -> UnsafeRawBufferPointer? {
            guard let context else { return nil }
            if size > capacity {
                buffer?.deallocate()
                // Rounded up to a MB, so that a run of growing blobs does not reallocate each time.
                capacity = (size + (1 << 20) - 1) & ~((1 << 20) - 1)
                buffer = .allocate(byteCount: max(capacity, 1), alignment: 16)
            }
            let n = ZSTD_decompressDCtx(context, buffer, size, frame.baseAddress, frame.count)
            guard ZSTD_isError(n) == 0, n == size else { return nil }
            return UnsafeRawBufferPointer(start: buffer, count: size)
        }

        /// Frees the buffer when it is larger than `limit` bytes (one large blob should not stay held).
        func trim(keeping limit: Int) {
            guard capacity > limit else { return }
            buffer?.deallocate()
            buffer = nil
            capacity = 0
        }
    }

    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
    }
}

/// Carries the batch into `concurrentPerform`: its pointers stay valid (the read transaction outlives the
/// call), each worker owns its scratch, and each result slot is written by one worker.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
