import Foundation
import SmithDomain
import SmithReaders
import SmithStore

/// The training curve `checkpoint record` keeps with a checkpoint: a torchtune DiskLogger log, read whole.
///
/// The log is `--metrics PATH`, or else found from the config: when `metric_logger` is torchtune's DiskLogger, the
/// newest `log_<unix time>.txt` (or `.jsonl`) in its `log_dir` (or its fixed `filename`). A config that logs to
/// W&B, or a DiskLogger folder that is not here, records no curve and says so in a note. A log with a line that is
/// not a step line refuses the whole record (nothing is recorded).
struct TrainingCurve {
    var path: String
    var log: DiskLoggerLog
    var blob: PreparedBlob

    /// The curve to record and the notes for stderr; `curve` is nil when there is none.
    struct Found {
        var curve: TrainingCurve?
        var notes: [String]
    }

    /// Reads `--metrics` when given, else the log the config's DiskLogger wrote.
    static func find(metrics: String?, config: TorchtuneConfig, configPath: String) throws -> Found {
        if let metrics { return Found(curve: try read(metrics), notes: []) }
        guard let component = config.metricLoggerComponent else { return Found(curve: nil, notes: []) }
        guard config.usesDiskLogger else {
            let logger = component.split(separator: ".").last.map(String.init) ?? component
            return Found(
                curve: nil,
                notes: [
                    "no training curve: the config logs metrics with \(logger), not torchtune's DiskLogger "
                        + "(--metrics LOG records a DiskLogger log; the README says how to write one too)"
                ])
        }
        guard let dir = config.metricLogDir else {
            return Found(curve: nil, notes: ["no training curve: metric_logger names no log_dir (--metrics LOG)"])
        }
        let nextToConfig = (configPath as NSString).deletingLastPathComponent + "/" + dir
        guard let folder = (dir.hasPrefix("/") ? [dir] : [dir, nextToConfig]).first(where: FileReading.isDirectory)
        else {
            return Found(
                curve: nil, notes: ["no training curve: metric_logger.log_dir \(dir) is not here (--metrics LOG)"])
        }
        if let fixed = config.metricLogFilename {
            let path = folder + "/" + fixed
            guard FileManager.default.fileExists(atPath: path) else {
                return Found(curve: nil, notes: ["no training curve: \(path) is not here (--metrics LOG)"])
            }
            return Found(curve: try read(path), notes: [])
        }
        let logs = logFiles(in: folder)
        guard let newest = logs.last else {
            return Found(curve: nil, notes: ["no training curve: no log_<time>.txt in \(folder) (--metrics LOG)"])
        }
        let path = folder + "/" + newest
        var notes: [String] = []
        if logs.count > 1 {
            notes.append(
                "\(folder) holds \(logs.count) DiskLogger logs; recorded the newest, \(newest) (--metrics LOG picks one)"
            )
        }
        return Found(curve: try read(path), notes: notes)
    }

    /// `log_<unix time>.txt` / `.jsonl` files of `folder`, oldest first (by the time in the name).
    static func logFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let logs = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("log_") else { return nil }
            let stem = name.hasSuffix(".txt") ? name.dropLast(4) : name.hasSuffix(".jsonl") ? name.dropLast(6) : nil
            guard let stem, let time = Int(stem.dropFirst(4)) else { return nil }
            return (time, name)
        }
        return logs.sorted { $0 < $1 }.map(\.1)
    }

    /// Reads and checks the whole log; throws one line for the first line that is not a step line.
    static func read(_ path: String) throws -> TrainingCurve {
        let bytes = try FileReading.bytes(path)
        let log = try DiskLoggerLog.read(bytes, file: path)
        return TrainingCurve(path: path, log: log, blob: PreparedBlob(bytes))
    }

    /// The curve as TrainingMetricsRecorded events for version `version` of `checkpoint`, a chunk of lines each.
    func events(checkpoint: String, version: Int) throws -> [NewEvent] {
        let size = TrainingMetricsRecorded.chunkLines
        let entries = log.entries
        let chunks = (entries.count + size - 1) / size
        return try stride(from: 0, to: entries.count, by: size).enumerated().map { index, start in
            let lines = entries[start..<min(start + size, entries.count)]
            var order: [String] = []
            var columns: [String: [TrainingMetricsRecorded.Value]] = [:]
            for (i, entry) in lines.enumerated() {
                for (name, value) in entry.values {
                    if columns[name] == nil {
                        order.append(name)
                        columns[name] = Array(repeating: .absent, count: lines.count)
                    }
                    columns[name]![i] = .number(value)
                }
            }
            return try TrainingMetricsRecorded(
                checkpoint: checkpoint, checkpointVersion: version, logFile: FileReading.baseName(path),
                logSHA256: blob.digest, format: log.format, chunk: index, chunks: chunks, steps: lines.map(\.step),
                values: order.map { ($0, columns[$0]!) }
            ).newEvent()
        }
    }

    /// `1,200 steps, 8 metrics from log_1717171717.txt`, for the summary line.
    var summary: String {
        let steps = Set(log.entries.map(\.step)).count
        return "\(steps) steps, \(log.names.count) metrics from \(FileReading.baseName(path))"
    }
}
