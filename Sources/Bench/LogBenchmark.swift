import ArgumentParser
import Foundation
import SmithJSON
import SmithStore

/// Issue #2's benchmark: batched appends, blob ingest, full scan with decode.
struct LogBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Append N small events in batches, store blobs, scan the whole log.")

    @Option var events: Int = 1_000_000
    @Option var batch: Int = 10_000
    @Option var blobs: Int = 1000
    @Option(help: "A .traj file whose bytes are varied to make ~1.5 MB blobs.") var sample: String?
    @Option var dir: String?

    func run() throws {
        let root = dir ?? NSTemporaryDirectory() + "smithlog-bench-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try EventLog.create(at: StoreLocation(root: root + "/store"))

        // Appends. The raw LMDB reference puts values made beforehand, so the events of each batch are built
        // first (on all cores, untimed) and only `append` is timed: hashing, encoding, indexing and the commit.
        // Building them inside the timing measured the benchmark's own JSON values as much as the store.
        var appendSeconds = 0.0
        var appendCPU = 0.0
        var n = 0
        while n < events {
            let current = ParallelMap.map(Array(n..<min(n + batch, events))) {
                SyntheticEvents.small(writer: "bench", index: $0)
            }
            let t = Clock.now
            let cpu = Clock.cpuSeconds
            try log.append(current)
            appendSeconds += Clock.since(t)
            appendCPU += Clock.cpuSeconds - cpu
            n += current.count
        }
        let sampleSize = SyntheticEvents.small(writer: "bench", index: events / 2).payload
        let raw = RawLMDBReference.append(
            count: events, valueSize: PythonJSON.compactBytes(sampleSize).count + 160, batch: batch,
            dir: root + "/raw-lmdb")
        // Each side's sync mode is part of its name: the reference keeps LMDB's default (two flushes per
        // commit) as the floor with fsync per commit, whatever mode the store adopts.
        print("store commits with \(EventLog.commitMode); raw LMDB reference with \(RawLMDBReference.commitMode)")
        BenchTable.row(
            "append small events (batches of \(batch))", Double(events) / appendSeconds, "events/s",
            reference: raw, referenceName: "raw LMDB puts, same count, default sync")
        // On a shared machine the rate moves with other load; CPU time per event says what the work costs.
        BenchTable.row(
            "append CPU time, all threads", appendCPU / Double(events) * 1e6, "µs/event")

        // Full scan with decode (envelope and payload parse).
        var t = Clock.now
        var scanned = 0
        var payloadBytes = 0
        try log.forEach { e in
            scanned += 1
            payloadBytes += e.payloadBytes.count
            return true
        }
        let scanSeconds = Clock.since(t)
        BenchTable.row("scan whole log, envelope decode", Double(scanned) / scanSeconds, "events/s")
        t = Clock.now
        var parsed = 0
        try log.forEach { e in
            _ = try e.payload()
            parsed += 1
            return true
        }
        BenchTable.row("scan whole log, envelope + payload parse", Double(parsed) / Clock.since(t), "events/s")

        // Blobs: hash + compress + write.
        let base: [UInt8]
        if let sample, let data = FileManager.default.contents(atPath: sample) {
            base = Array(data)
        } else {
            base = Array(
                String(
                    repeating: "{\"role\": \"assistant\", \"content\": \"let me look at the file\"}\n",
                    count: 25_000
                ).utf8)
        }
        var inputs: [[UInt8]] = []
        var totalBytes = 0
        t = Clock.now
        var written = 0
        for i in 0..<blobs {
            var b = Array("{\"variant\": \(i), ".utf8)
            b.append(contentsOf: base)
            while b.count < 1_500_000 { b.append(contentsOf: base.prefix(1_500_000 - b.count)) }
            inputs.append(b)
            if inputs.count == 16 || i == blobs - 1 {
                let prepared = PreparedBlob.prepareAll(inputs)
                totalBytes += inputs.reduce(0) { $0 + $1.count }
                try log.putBlobs(prepared)
                written += prepared.count
                inputs.removeAll(keepingCapacity: true)
            }
        }
        let blobSeconds = Clock.since(t)
        BenchTable.row(
            "blob ingest (hash + zstd + write), \(written) x ~1.5 MB", Double(totalBytes) / blobSeconds / 1e6,
            "MB/s")
        let stats = try log.stats()
        BenchTable.row(
            "blob compression ratio", Double(stats.blobRawBytes) / Double(max(1, stats.blobStoredBytes)), "x")
    }
}

enum Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func since(_ t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 }
    /// User plus system CPU time of the whole process so far.
    static var cpuSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
