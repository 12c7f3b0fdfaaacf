import ArgumentParser
import SmithDomain
import SmithStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store (safe to run again on an existing one).",
        discussion: """
            With --shared, every member of the store folder's group may record into the store: the folders get \
            the setgid bit and group write permission, and every file smithlog creates in it later is \
            group-writable whatever the creating user's umask (as git's core.sharedRepository=group). Give the \
            folder to the team's group once, e.g. `chgrp -R team /data/smithlog`. Users who may only read the \
            store can still run every query.

            Examples:
              smithlog init
              smithlog init --shared --store /data/team/smithlog
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Make the store writable by its folder's group (also turns an existing store shared).")
    var shared = false

    func run() throws {
        let location = storeOptions.creationLocation
        let log = try EventLog.createForPipeline(at: location, memory: StoreOptions.memory, shared: shared)
        let events = try log.lastSeq()
        let sharing = location.sharing == .group ? ", shared with its group" : ""
        print("store ready at \(location.root) (\(events) events\(sharing))")
    }
}
