import ArgumentParser
import Foundation
import SmithDomain
import SmithJSON
import SmithStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one event as JSON, or an artifact it refers to.",
        discussion: """
            EVENT is a seq number or an event id (a unique prefix of at least 6 hex digits will do), or a kind \
            and a name: `show sft X@1` prints the event that recorded version 1 of SFT dataset X (`show bench R` \
            the latest version of result R). Kinds: dataset, subset, run, eval, sft, checkpoint, bench. \
            With --blob, prints the raw bytes of the referenced artifact (the first one, or the one whose hash \
            starts with the given prefix), exactly as they were recorded.

            Examples:
              smithlog show run my-run
              smithlog show 42 --first-blob > artifact.json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "A seq number, an event id (hex, or a unique prefix), or a kind followed by NAME[@N].")
    var event: String

    @Argument(help: "With a kind: the name, NAME or NAME@N.")
    var name: String?

    @Option(
        name: .long, help: "Print the referenced artifact instead (optionally the one whose hash starts with this).")
    var blob: String?

    @Flag(name: .customLong("first-blob"), help: "Print the first artifact the event refers to.")
    var firstBlob = false

    func run() throws {
        let log = try storeOptions.openLog(readOnly: true)
        let e = try resolve(log)
        if firstBlob || blob != nil {
            let prefix = (blob ?? "").lowercased()
            guard let digest = e.blobs.first(where: { $0.hex.hasPrefix(prefix) }) else {
                throw LogError(
                    .notFound,
                    e.blobs.isEmpty
                        ? "event \(e.seq) refers to no artifact"
                        : "event \(e.seq) refers to no artifact starting with '\(prefix)'")
            }
            let out = OutputBuffer()
            out.write(bytes: try log.blob(digest))
            out.flush()
        } else {
            print(PythonJSON.dumps(e.jsonValue, ensureASCII: false, indent: 2))
        }

    }

    private func resolve(_ log: EventLog) throws -> RecordedEvent {
        if let name {
            guard let kind = NamedKind(rawValue: event) else {
                throw ValidationError(
                    "'\(event)' is not a kind (\(NamedKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return try NamedHead.record(kind, VersionedName(parsing: name), log: log)
        }
        if let seq = UInt64(event) { return try log.event(seq: seq) }
        guard event.count >= 6, event.allSatisfy(\.isHexDigit) else {
            throw LogError(.notFound, "'\(event)' is neither a seq number nor an event id (hex)")
        }
        let matches = try log.events(withIDPrefix: event)
        guard let match = matches.first else { throw LogError(.notFound, "no event with id '\(event)'") }
        guard matches.count == 1 else {
            throw LogError(.invalidArgument, "id prefix '\(event)' is ambiguous (\(matches.count) events match)")
        }
        return try log.event(seq: match.seq)
    }
}
