import Foundation

/// One line per figure: name, our value, unit, and the reference measured in the same run with the ratio.
///
/// With `SMITHLOG_BENCH_TSV` set, each row is also appended to that file as tab-separated fields, from which
/// tools/bench prints its one table over all the benchmarks.
enum BenchTable {
    static func row(
        _ name: String, _ value: Double, _ unit: String, reference: Double? = nil,
        referenceName: String = ""
    ) {
        var line =
            name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%14.1f ", value)
            + unit.padding(toLength: 9, withPad: " ", startingAt: 0)
        var fields = ["row", name, String(format: "%.1f", value), unit, "", "", ""]
        if let reference, reference > 0 {
            line +=
                String(format: " | ref %14.1f ", reference) + "(\(referenceName))"
                + String(format: " ratio %.2f", value / reference)
            fields[4] = String(format: "%.1f", reference)
            fields[5] = referenceName
            fields[6] = String(format: "%.2f", value / reference)
        }
        print(line)
        if let path = ProcessInfo.processInfo.environment["SMITHLOG_BENCH_TSV"],
            let file = FileHandle(forWritingAtPath: path)
        {
            file.seekToEndOfFile()
            file.write(Data((fields.joined(separator: "\t") + "\n").utf8))
            file.closeFile()
        }
    }
}
