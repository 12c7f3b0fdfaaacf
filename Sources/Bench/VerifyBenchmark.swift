import ArgumentParser
import Foundation
import SmithStore

/// Issue 20's verify figure: `verify` over a realistic blob mix, beside the floor measured in the same run:
/// `zstd -d | openssl dgst -sha256` over the same compressed bytes (each stored frame once, a pack once), which
/// decompresses and hashes exactly the raw bytes `verify` must check, on one core.
struct VerifyBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "verify over ~1 MB trajectories and a dataset pack of small rows, against zstd -d | openssl.")

    @Option(help: "Trajectories of about 1 MB each.") var trajectories = 200
    @Option(help: "Dataset rows (a few KB each), stored in packs as dataset import stores them.") var rows = 20_000
    @Option(help: "A .traj file whose bytes are varied to make the trajectories.") var sample: String
    @Option(help: "A dataset row (a JSON object) varied to make the rows.") var row: String
    @Option(help: "smithlog binaries whose `verify` is timed on the same store too (e.g. an older build).")
    var cli: [String] = []
    @Option var dir: String?

    func run() throws {
        let root = dir ?? NSTemporaryDirectory() + "smithlog-bench-verify-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let location = StoreLocation(root: root + "/store")
        let rawBytes = try build(EventLog.create(at: location))
        let frames = root + "/frames.zst"
        try writeFrames(EventLog.open(at: location, readOnly: true), to: frames)

        // Both read their input from the page cache: the store was just written, the frames file is read once.
        _ = try shell("cat '\(frames)' > /dev/null")
        let floorStart = Clock.now
        let digest = try shell("zstd -q -d -c '\(frames)' | openssl dgst -sha256")
        let floor = Clock.since(floorStart)
        guard digest.contains("=") else { throw ValidationError("zstd | openssl gave no digest: \(digest)") }

        let log = try EventLog.open(at: location, readOnly: true)
        var best = Double.infinity
        var report = try log.verify()
        for _ in 0..<2 {
            let t = Clock.now
            report = try log.verify()
            best = min(best, Clock.since(t))
        }
        guard report.isClean, report.blobBytesChecked == rawBytes else {
            throw ValidationError("verify: \(report.problems), \(report.blobBytesChecked) of \(rawBytes) bytes")
        }
        let mb = Double(rawBytes) / 1e6
        let what = "\(trajectories) trajectories + \(rows) rows, \(Int(mb)) MB raw"
        BenchTable.row(
            "verify (in process), \(what)", best * 1000, "ms", reference: floor * 1000,
            referenceName: "zstd -d piped to openssl dgst -sha256, same bytes")
        BenchTable.row("verify throughput (raw bytes)", mb / best, "MB/s")
        let quickStart = Clock.now
        _ = try log.verify(quick: true)
        BenchTable.row("verify --quick (in process)", Clock.since(quickStart) * 1000, "ms")
        for binary in cli {
            let command = "'\(binary)' verify --store '\(location.root)' > /dev/null"
            _ = try shell(command)  // once untimed: brings the projections up to date, as verify does
            let t = Clock.now
            _ = try shell(command)
            BenchTable.row(
                "smithlog verify (CLI: \(URL(fileURLWithPath: binary).lastPathComponent))", Clock.since(t) * 1000,
                "ms", reference: floor * 1000, referenceName: "zstd -d piped to openssl dgst -sha256, same bytes")
        }
    }

    /// Writes the store: trajectories of about 1 MB (each its own blob) and the rows in packs; the raw bytes
    /// `verify` checks (a pack's once).
    private func build(_ log: EventLog) throws -> Int {
        guard let base = FileManager.default.contents(atPath: sample).map(Array.init), !base.isEmpty,
            let rowBase = FileManager.default.contents(atPath: row).map(Array.init), rowBase.first == UInt8(ascii: "{")
        else { throw ValidationError("--sample and --row must be readable (--row a JSON object)") }
        var raw = 0
        var batch: [[UInt8]] = []
        func flush(from first: Int) throws {
            let blobs = PreparedBlob.prepareAll(batch)
            try log.append(
                blobs.enumerated().map { i, blob in
                    NewEvent(
                        type: "TrajectoryProduced", stream: "run/bench",
                        payload: .object([("instance_id", .string("inst-\(first + i)"))]), blobs: [blob.digest])
                }, blobs: blobs)
            raw += batch.reduce(0) { $0 + $1.count }
            batch.removeAll()
        }
        for i in 0..<trajectories {
            var b = Array("{\"variant\": \(i), ".utf8)
            while b.count < 1_000_000 { b.append(contentsOf: base.prefix(1_000_000 - b.count)) }
            batch.append(b)
            if batch.count == 16 { try flush(from: i + 1 - batch.count) }
        }
        if !batch.isEmpty { try flush(from: trajectories - batch.count) }
        let items = (0..<rows).map { i in Array("{\"variant\": \(i), ".utf8) + rowBase.dropFirst() }
        for group in PreparedBlobPack.groups(of: items.map(\.count)) {
            let pack = PreparedBlobPack(Array(items[group]))
            try log.append(
                zip(group, pack.members).map { i, member in
                    NewEvent(
                        type: "InstanceRegistered", stream: "dataset/bench",
                        payload: .object([("instance_id", .string("row-\(i)"))]), blobs: [member.digest])
                }, blobs: pack.blobs)
            raw += items[group].reduce(0) { $0 + $1.count }
        }
        return raw
    }

    /// Every whole blob's zstd frame, one after another (zstd -d reads concatenated frames as one stream).
    private func writeFrames(_ log: EventLog, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ValidationError("cannot create \(path)")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? out.close() }
        var digests: [Digest] = []
        try log.forEachBlob { digest, rawSize, _ in if rawSize > 0 { digests.append(digest) } }
        for digest in digests {
            guard let stored = try log.storedBlobBytes(digest), stored.first == 1 else {
                throw ValidationError("blob \(digest.hex) is not stored as one zstd frame")
            }
            out.write(Data(stored[9...]))
        }
    }

    private func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; " + command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("failed: \(command)") }
        return String(decoding: output, as: UTF8.self)
    }
}
