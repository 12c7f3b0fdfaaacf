import ArgumentParser
import SmithJSON
import SmithStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count events by type and blob bytes, raw against stored.",
        discussion: """
            Blobs are the entries of the blob tables (blobs, packs and their slices), as verify counts them. Raw \
            bytes are uncompressed, each blob's and pack's once (a slice's bytes are in its pack): the total \
            verify re-hashes. Stored bytes are what the blob values take, without LMDB's own overhead.

            Examples:
              smithlog stats
              smithlog stats --json | jq .events_by_type
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
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
                (
                    "stored_by_type",
                    .object(
                        s.footprintByType.map {
                            (
                                $0.type,
                                .object([
                                    ("event_bytes", .int($0.eventBytes)), ("blobs", .int($0.blobs)),
                                    ("blob_raw_bytes", .int($0.blobRawBytes)),
                                    ("blob_stored_bytes", .int($0.blobStoredBytes)),
                                ])
                            )
                        })
                ),
            ])
            print(PythonJSON.dumps(value, ensureASCII: false, indent: 2))
            return
        }
        print("events   \(s.events) in \(s.streams) streams")
        for (type, count) in s.eventsByType { print("  \(pad(type, 22)) \(count)") }
        let ratio = s.blobStoredBytes > 0 ? Double(s.blobRawBytes) / Double(s.blobStoredBytes) : 0
        print(
            "blobs    \(s.blobs): \(ByteCount.format(s.blobRawBytes)) raw (a pack once), "
                + "\(ByteCount.format(s.blobStoredBytes)) stored (\(String(format: "%.1f", ratio))x)")
        print("log file \(ByteCount.format(s.logFileBytes))")
        // Which steps of the pipeline the store's bytes come from; a blob counts with the first event naming it.
        print("stored by type (event records; blobs first named there, raw -> stored)")
        for f in s.footprintByType {
            print(
                "  \(pad(f.type, 22)) \(pad(ByteCount.format(f.eventBytes), 9)) events; "
                    + "\(f.blobs) blobs, \(ByteCount.format(f.blobRawBytes)) -> \(ByteCount.format(f.blobStoredBytes))"
            )
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
