import ArgumentParser
import SmithDomain
import SmithStore

/// `--store PATH`, shared by every command that touches a store.
///
/// It may also come before the subcommand (`smithlog --store S leaderboard`): `RootOptions` moves it after
/// the subcommand's name before parsing, so every command reads it from here.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            The store folder (default: $SMITHLOG_STORE, else the nearest .smithlog in this folder or a parent; \
            may also come before the command).
            """)
    var store: String?

    /// The store a command reads or writes: found upward from the working directory when not given.
    var location: StoreLocation { StoreLocation.resolve(explicit: store) }

    /// Where `init` creates a store: `./.smithlog` in the working directory when not given, never a parent's.
    var creationLocation: StoreLocation { StoreLocation.resolve(explicit: store, discover: false) }

    /// The store's page-release policy for this program, chosen here once for every command: pages are released
    /// after each transaction and during long scans, so an ingest's memory stays flat however large the store.
    static let memory = MemoryPolicy.flatMemory

    /// Opens the existing store's event log, upgrading a store written by an older smithlog when writing.
    func openLog(readOnly: Bool = false) throws -> EventLog {
        try EventLog.openForPipeline(at: location, readOnly: readOnly, memory: Self.memory)
    }
}
