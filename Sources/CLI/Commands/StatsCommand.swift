import ArgumentParser
import SmithJSON
import SmithStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count events by type and blob bytes, raw against stored.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let s = try storeOptions.openLog(readOnly: true).stats()
            if json {
                let value: JSONValue = .object([
                    ("events", .int(s.events)),
                    ("streams", .int(s.streams)),
                    ("events_by_type", .object(s.eventsByType.map { ($0.type, .int($0.count)) })),
                    ("blobs", .int(s.blobs)),
                    ("blob_raw_bytes", .int(s.blobRawBytes)),
                    ("blob_stored_bytes", .int(s.blobStoredBytes)),
                    ("log_file_bytes", .int(s.logFileBytes)),
                ])
                print(PythonJSON.dumps(value, ensureASCII: false, indent: 2))
                return
            }
            print("events   \(s.events) in \(s.streams) streams")
            for (type, count) in s.eventsByType { print("  \(pad(type, 22)) \(count)") }
            let ratio = s.blobStoredBytes > 0 ? Double(s.blobRawBytes) / Double(s.blobStoredBytes) : 0
            print(
                "blobs    \(s.blobs): \(ByteCount.format(s.blobRawBytes)) raw, "
                    + "\(ByteCount.format(s.blobStoredBytes)) stored (\(String(format: "%.1f", ratio))x)")
            print("log file \(ByteCount.format(s.logFileBytes))")
        }
    }
}

/// Human-readable byte counts.
enum ByteCount {
    static func format(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n)
        var u = 0
        while v >= 1000 && u < units.count - 1 {
            v /= 1000
            u += 1
        }
        return u == 0 ? "\(n) B" : String(format: "%.1f", v) + " " + units[u]
    }
}
