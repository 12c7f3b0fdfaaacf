import ArgumentParser
import SmithStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store (safe to run again on an existing one).")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let log = try EventLog.create(at: storeOptions.location)
        let events = try log.lastSeq()
        print("store ready at \(storeOptions.location.root) (\(events) events)")
    }
}
