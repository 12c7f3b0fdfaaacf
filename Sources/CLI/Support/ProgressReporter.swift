import Dispatch
import SmithIngest

/// Progress for long ingests on stderr: files done/total, MB/s, ETA. Silent unless stderr is a terminal.
enum ProgressReporter {
    static func make(_ label: String) -> IngestProgress? {
        guard Console.stderrIsTerminal else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        return { done, total, bytes in
            let seconds = max(0.001, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let mbps = Double(bytes) / 1e6 / seconds
            let eta = done > 0 ? seconds / Double(done) * Double(total - done) : 0
            Console.progress(
                "\(label): \(done)/\(total) files, \(Int(mbps.rounded())) MB/s, ETA \(Int(eta.rounded()))s")
        }
    }
}

/// Prints an ingest's warnings and skips, the version it recorded or found, then its one-line summary, on
/// stderr.
func printReport(_ report: IngestReport, verb: String, verbose: Bool = false) {
    Console.clearProgress()
    for s in report.skipped { Console.note("skipped: \(s)") }
    for w in report.warnings { Console.note("note: \(w)") }
    if verbose { for d in report.details { Console.note("note: \(d)") } }
    if let version = report.version {
        let what =
            !report.versionAlreadyRecorded
            ? "recorded as \(version)"
            : report.newEvents > 0 ? "added to \(version)" : "already recorded as \(version)"
        Console.note("\(verb.split(separator: ":").first ?? ""): \(what)")
    }
    Console.note("\(verb): \(report.summary)")
}
