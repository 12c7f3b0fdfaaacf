import ArgumentParser
import Foundation
import SmithIngest
import SmithJSON
import SmithStore

/// Issue #3's benchmark: ingest of a run folder of 1-2 MB trajectories (variants of a fixture), against
/// Python's `json.load` over the same files in the same run; and a 50,000-row dataset import.
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Ingest N trajectory variants; compare with python3 json.load.")

    @Option var count: Int = 1000
    @Option(help: "The .traj file to vary.") var sample: String
    @Option(help: "A dataset row file (JSON object) to vary into --rows rows.") var row: String?
    @Option var rows: Int = 50_000

    func run() throws {
        let root = NSTemporaryDirectory() + "smithlog-bench-ingest-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = root + "/trajectories/bench/run"
        let base = Array(try Data(contentsOf: URL(fileURLWithPath: sample)))
        // Padding text from the trajectory itself (so it compresses like one), reduced to characters that need
        // no JSON escaping so any prefix of it is a valid string body.
        let filler = base.prefix(1_000_000).map { b -> UInt8 in
            let c = Character(Unicode.Scalar(b))
            return c.isLetter || c.isNumber ? b : UInt8(ascii: " ")
        }
        var files: [String] = []
        var totalBytes = 0
        for i in 0..<count {
            let id = "bench__repo.0000abcd.func_pm_variant__\(i)"
            try FileManager.default.createDirectory(atPath: run + "/" + id, withIntermediateDirectories: true)
            // A new leading key makes every file distinct; a padding string of 0-1 MB spreads sizes over 1-2 MB.
            var bytes = Array("{\"bench_variant\": \(i), \"padding\": ".utf8)
            let pad = filler.count * ((i * 7919) % 1000) / 1000
            bytes += [UInt8(ascii: "\"")] + filler.prefix(pad) + [UInt8(ascii: "\""), UInt8(ascii: ",")]
            bytes += base.dropFirst()
            let path = run + "/\(id)/\(id).traj"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            files.append(path)
            totalBytes += bytes.count
        }
        let log = try EventLog.create(at: StoreLocation(root: root + "/store"))
        var t = Clock.now
        let report = try TrajectoryIngest.run(folder: run, runName: "bench", strict: false, log: log)
        let ours = Clock.since(t)
        precondition(report.skipped.isEmpty, "benchmark trajectories were skipped: \(report.skipped.prefix(2))")
        let listing = root + "/files.txt"
        try files.joined(separator: "\n").write(toFile: listing, atomically: true, encoding: .utf8)
        let python = try PythonTimer.seconds(
            "import json,time\nfiles=open('\(listing)').read().split('\\n')\nt=time.perf_counter()\n"
                + "for p in files:\n    json.load(open(p))\nprint(time.perf_counter()-t)")
        let mb = Double(totalBytes) / 1e6
        print("\(count) trajectories, \(String(format: "%.0f", mb)) MB")
        BenchTable.row(
            "ingest trajectories (read+parse+hash+zstd+write)", mb / ours, "MB/s", reference: mb / python,
            referenceName: "python3 json.load only")
        BenchTable.row(
            "ingest trajectories", Double(count) / ours, "traj/s", reference: Double(count) / python,
            referenceName: "python3 json.load only")

        guard let row else { return }
        let rowBytes = Array(try Data(contentsOf: URL(fileURLWithPath: row)))
        let rowText = String(decoding: rowBytes, as: UTF8.self)
        var jsonl = [UInt8]()
        for i in 0..<rows {
            let varied = rowText.replacingOccurrences(of: "\"instance_id\": \"", with: "\"instance_id\": \"v\(i)-")
            jsonl += Array(PythonJSON.dumpBytes(try JSONParser.parse(varied))) + [10]
        }
        let datasetPath = root + "/dataset.jsonl"
        try Data(jsonl).write(to: URL(fileURLWithPath: datasetPath))
        t = Clock.now
        _ = try DatasetImport.run(file: datasetPath, name: "bench", log: log)
        let importSeconds = Clock.since(t)
        let pyImport = try PythonTimer.seconds(
            "import json,time\nt=time.perf_counter()\nrows=[json.loads(l) for l in open('\(datasetPath)')]\n"
                + "print(time.perf_counter()-t)")
        BenchTable.row(
            "dataset import, \(rows) rows of \(rowBytes.count / 1000) KB (JSONL)", importSeconds, "s",
            reference: pyImport, referenceName: "python3 json.loads per line only")
    }
}

/// Runs a Python snippet that prints the seconds it measured.
enum PythonTimer {
    static func seconds(_ code: String) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
    }
}
