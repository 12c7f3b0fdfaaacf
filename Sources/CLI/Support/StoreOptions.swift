import ArgumentParser
import SmithDomain
import SmithStore

/// `--store PATH`, shared by every command that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store folder (default: $SMITHLOG_STORE, else ./.smithlog).")
    var store: String?

    var location: StoreLocation { StoreLocation.resolve(explicit: store) }

    /// The store's page-release policy for this program, chosen here once for every command: pages are released
    /// after each transaction and during long scans, so an ingest's memory stays flat however large the store.
    static let memory = MemoryPolicy.flatMemory

    /// Opens the existing store's event log, upgrading a store written by an older smithlog when writing.
    func openLog(readOnly: Bool = false) throws -> EventLog {
        try EventLog.openForPipeline(at: location, readOnly: readOnly, memory: Self.memory)
    }
}
