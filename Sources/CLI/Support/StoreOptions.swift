import ArgumentParser
import SmithStore

/// `--store PATH`, shared by every command that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store folder (default: $SMITHLOG_STORE, else ./.smithlog).")
    var store: String?

    var location: StoreLocation { StoreLocation.resolve(explicit: store) }

    /// Opens the existing store's event log.
    func openLog(readOnly: Bool = false) throws -> EventLog {
        try EventLog.open(at: location, readOnly: readOnly)
    }
}
