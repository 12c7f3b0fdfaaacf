import ArgumentParser
import SmithDomain
import SmithStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store (safe to run again on an existing one).")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let log = try EventLog.createForPipeline(at: storeOptions.location, memory: StoreOptions.memory)
        let events = try log.lastSeq()
        print("store ready at \(storeOptions.location.root) (\(events) events)")
    }
}
