#if canImport(Glibc)
    import Glibc
#endif

/// Fixed-size records handed back in ascending byte order, in a bounded amount of memory however many there
/// are: they are sorted a chunk at a time, and chunks that do not fit spill, sorted, to a temporary file whose
/// runs are merged back as they are read.
///
/// For a scan that must meet records again in another order than it found them (the slices of a pack, listed
/// by their own digests, are needed beside the pack; the blobs events name, in digest order): a map or a set of
/// them grew with the store, this holds ``memoryBytes`` and a read buffer per run at most. The file is unlinked
/// as soon as it is made (in `$TMPDIR`, else /tmp), so nothing is left behind whatever happens to the process.
///
/// Append every record, then read them back once through ``sorted()``. Not thread-safe.
final class SpillSort {
    /// Bytes per record; records compare as their bytes, so put the sort key first (integers big-endian).
    let recordSize: Int
    /// Bytes of records held in memory before a chunk spills.
    let memoryBytes: Int
    /// Runs merged at once: more are merged into longer runs first, so the read buffers stay bounded too.
    static let maxFanIn = 32
    /// Bytes read from a run at a time while merging.
    static let runBufferBytes = 32 << 10

    private let chunkCapacity: Int
    private let chunk: UnsafeMutableRawPointer
    private var count = 0
    private var file: Int32 = -1
    private var fileEnd = 0
    /// Sorted runs in the file, by byte offset and record count.
    private var runs: [(offset: Int, records: Int)] = []
    /// Records appended, over the sorter's life.
    private(set) var total = 0

    init(recordSize: Int, memoryBytes: Int = 2 << 20) {
        precondition(recordSize > 0)
        self.recordSize = recordSize
        self.memoryBytes = memoryBytes
        chunkCapacity = max(2, memoryBytes / recordSize)
        chunk = .allocate(byteCount: chunkCapacity * recordSize, alignment: 16)
    }

    deinit {
        chunk.deallocate()
        if file >= 0 { close(file) }
    }

    /// Adds one record, written by `fill` into its `recordSize` bytes (zeroed first).
    func append(_ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(LogError) {
        if count == chunkCapacity { try spill() }
        let slot = UnsafeMutableRawBufferPointer(start: chunk + count * recordSize, count: recordSize)
        slot.initializeMemory(as: UInt8.self, repeating: 0)
        fill(slot)
        count += 1
        total += 1
    }

    /// The records in ascending byte order (equal records all given); call once, after the last `append`.
    func sorted() throws(LogError) -> Reader {
        if runs.isEmpty { return Reader(memory: self, order: sortChunk()) }
        if count > 0 { try spill() }
        while runs.count > Self.maxFanIn {
            let merging = Array(runs.prefix(Self.maxFanIn))
            runs.removeFirst(merging.count)
            try runs.append(mergeIntoRun(merging))
        }
        return try Reader(merging: cursors(runs), size: recordSize)
    }

    private func cursors(_ list: [(offset: Int, records: Int)]) throws(LogError) -> [RunCursor] {
        var out: [RunCursor] = []
        for run in list { out.append(try RunCursor(self, run)) }
        return out
    }

    /// The chunk's record indices in the order of their bytes.
    private func sortChunk() -> [Int32] {
        let base = UnsafeRawPointer(chunk)
        let size = recordSize
        var order = (0..<Int32(count)).map { $0 }
        order.sort { memcmp(base + Int($0) * size, base + Int($1) * size, size) < 0 }
        return order
    }

    /// Writes the chunk, sorted, as a new run at the end of the file and empties it.
    private func spill() throws(LogError) {
        if file < 0 { file = try Self.temporaryFile() }
        let order = sortChunk()
        var out = RunWriter(self, at: fileEnd)
        for i in order { try out.write(UnsafeRawBufferPointer(start: chunk + Int(i) * recordSize, count: recordSize)) }
        try out.finish()
        runs.append((fileEnd, count))
        fileEnd += count * recordSize
        count = 0
    }

    /// Merges `merging` into one run at the end of the file.
    private func mergeIntoRun(_ merging: [(offset: Int, records: Int)]) throws(LogError) -> (offset: Int, records: Int)
    {
        let reader = try Reader(merging: cursors(merging), size: recordSize)
        let start = fileEnd
        var out = RunWriter(self, at: start)
        var records = 0
        while let record = try reader.next() {
            try out.write(record)
            records += 1
        }
        try out.finish()
        fileEnd += records * recordSize
        return (start, records)
    }

    /// An unlinked file in the temporary folder.
    private static func temporaryFile() throws(LogError) -> Int32 {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/smithlog-sort-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw LogError(
                .io, "cannot make a temporary file to sort in: \(String(cString: strerror(errno)))",
                path: folder)
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    fileprivate func ioError(_ what: String) -> LogError {
        let code: LogError.Code = errno == ENOSPC ? .full : .io
        return LogError(code, "cannot \(what) the temporary file sorting a scan: \(String(cString: strerror(errno)))")
    }

    /// Appends records to the file through a buffer.
    private struct RunWriter {
        let sorter: SpillSort
        var offset: Int
        var buffer: [UInt8] = []

        init(_ sorter: SpillSort, at offset: Int) {
            self.sorter = sorter
            self.offset = offset
            buffer.reserveCapacity(SpillSort.runBufferBytes * 4)
        }

        mutating func write(_ record: UnsafeRawBufferPointer) throws(LogError) {
            buffer.append(contentsOf: record)
            if buffer.count >= SpillSort.runBufferBytes * 4 { try finish() }
        }

        mutating func finish() throws(LogError) {
            var done = 0
            while done < buffer.count {
                let n = buffer.withUnsafeBytes {
                    pwrite(sorter.file, $0.baseAddress! + done, $0.count - done, off_t(offset + done))
                }
                guard n > 0 else { throw sorter.ioError("write") }
                done += n
            }
            offset += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Reads one run back through a buffer.
    fileprivate final class RunCursor {
        private let file: Int32
        private let size: Int
        private let sorter: SpillSort
        private var next: Int
        private let end: Int
        private let buffer: UnsafeMutableRawPointer
        private let capacity: Int
        private var filled = 0
        private var position = 0

        init(_ sorter: SpillSort, _ run: (offset: Int, records: Int)) throws(LogError) {
            self.sorter = sorter
            file = sorter.file
            size = sorter.recordSize
            next = run.offset
            end = run.offset + run.records * size
            capacity = max(1, SpillSort.runBufferBytes / size) * size
            buffer = .allocate(byteCount: capacity, alignment: 16)
        }

        deinit { buffer.deallocate() }

        /// The record under the cursor; nil past the run's end.
        var current: UnsafeRawPointer? { position < filled ? UnsafeRawPointer(buffer + position) : nil }

        /// Moves to the next record (the first one, on the first call).
        func advance(first: Bool = false) throws(LogError) {
            if !first { position += size }
            guard position >= filled, next < end else { return }
            let want = min(capacity, end - next)
            var got = 0
            while got < want {
                let n = pread(file, buffer + got, want - got, off_t(next + got))
                guard n > 0 else { throw sorter.ioError("read") }
                got += n
            }
            next += want
            filled = want
            position = 0
        }
    }

    /// The sorted records, one at a time.
    final class Reader {
        private let size: Int
        /// In memory: the sorter's chunk (kept alive here) and its records' order.
        private let memory: SpillSort?
        private let order: [Int32]
        private var index = 0
        /// Spilled: one cursor per run not yet exhausted, a min-heap by current record.
        private var heap: [RunCursor] = []
        /// The heap's top was handed out: advance it before the next record.
        private var handedOut = false

        fileprivate init(memory: SpillSort, order: [Int32]) {
            self.memory = memory
            size = memory.recordSize
            self.order = order
        }

        fileprivate init(merging cursors: [RunCursor], size: Int) throws(LogError) {
            memory = nil
            order = []
            self.size = size
            for c in cursors { try c.advance(first: true) }
            heap = cursors.filter { $0.current != nil }
            for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        }

        /// The next record (valid until the next call); nil after the last.
        func next() throws(LogError) -> UnsafeRawBufferPointer? {
            if let memory {
                guard index < order.count else { return nil }
                defer { index += 1 }
                return UnsafeRawBufferPointer(start: memory.chunk + Int(order[index]) * size, count: size)
            }
            if handedOut, let top = heap.first {
                try top.advance()
                if top.current == nil {
                    heap.swapAt(0, heap.count - 1)
                    heap.removeLast()
                }
                if !heap.isEmpty { siftDown(0) }
            }
            guard let record = heap.first?.current else { return nil }
            handedOut = true
            return UnsafeRawBufferPointer(start: record, count: size)
        }

        private func less(_ a: Int, _ b: Int) -> Bool {
            memcmp(heap[a].current!, heap[b].current!, size) < 0
        }

        private func siftDown(_ start: Int) {
            var i = start
            while true {
                let left = 2 * i + 1
                guard left < heap.count else { return }
                var smallest = left
                if left + 1 < heap.count && less(left + 1, left) { smallest = left + 1 }
                guard less(smallest, i) else { return }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
    }
}
