import ArgumentParser
import SmithDomain
import SmithStore

/// `--store PATH`, shared by every command that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store folder (default: $SMITHLOG_STORE, else ./.smithlog).")
    var store: String?

    var location: StoreLocation { StoreLocation.resolve(explicit: store) }

    /// The store's page-release policy for this program: chosen here, once, for every command.
    /// TODO(store-work merge): `.flatMemory` (pages released after each transaction and during long scans), which
    /// the Store applied unconditionally before; the temporary shim has only `.default`.
    static let memory = MemoryPolicy.default

    /// Opens the existing store's event log, upgrading a store written by an older smithlog when writing.
    func openLog(readOnly: Bool = false) throws -> EventLog {
        try EventLog.openForPipeline(at: location, readOnly: readOnly, memory: Self.memory)
    }
}
