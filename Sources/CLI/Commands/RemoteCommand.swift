import ArgumentParser
import SmithDomain
import SmithStore
import SmithSync

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Name the PostgreSQL servers a team shares its history through.",
        discussion: """
            A remote is a name for a PostgreSQL database (postgres://USER@HOST:PORT/DB), kept in the store's \
            remotes.json; `push` and `pull` sync the log with it. The password comes from PGPASSWORD or \
            ~/.pgpass when connecting and is never stored. TLS is used when the server offers it \
            (?sslmode=disable|prefer|require|verify-full).

            Examples:
              smithlog remote add team postgres://alice@db.example.org:5432/smithlog
              smithlog remote init team
              smithlog remote list
            """, subcommands: [Add.self, List.self, Remove.self, Init.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a remote.",
            discussion: """
                NAME follows the rules of every name (letters, digits, '.', '_', '-'). Nothing is contacted: \
                `remote init NAME` creates the server's tables, `push` and `pull` connect.

                Examples:
                  smithlog remote add team postgres://alice@db.example.org:5432/smithlog
                  smithlog remote add local postgres://me@127.0.0.1:5432/team?sslmode=disable
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "postgres://USER@HOST:PORT/DB") var url: String

        func run() throws {
            if let problem = NameRule.problem(name) { throw ValidationError("remote name '\(name)': \(problem)") }
            let address = try RemoteAddress(url)
            try storeOptions.location.checkExists()
            var remotes = try Remotes(location: storeOptions.location)
            try remotes.add(Remote(name: name, address: address))
            Console.note("added remote '\(name)' (\(address.text))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the store's remotes.",
            discussion: """
                One line per remote: its name and address.

                Examples:
                  smithlog remote list
                """)

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            try storeOptions.location.checkExists()
            let out = OutputBuffer()
            for r in try Remotes(location: storeOptions.location).all { out.line("\(r.name)\t\(r.address.text)") }
            out.flush()
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a remote (the server and the log are untouched).",
            discussion: """
                Examples:
                  smithlog remote remove team
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            try storeOptions.location.checkExists()
            var remotes = try Remotes(location: storeOptions.location)
            try remotes.remove(name)
            Console.note("removed remote '\(name)'")
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create smithlog's tables on a remote's server.",
            discussion: """
                Creates schema `smithlog` (events, blobs, progress, names, meta) in one transaction; nothing \
                happens when it is already there. A server holding another version of the tables is refused.

                Examples:
                  smithlog remote init team
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The remote's name (default: the only one).") var name: String?

        func run() throws {
            try storeOptions.location.checkExists()
            let remote = try Remotes(location: storeOptions.location).find(name)
            let created = try RemoteInit.run(remote)
            Console.note(
                created
                    ? "created smithlog tables (schema version \(RemoteInit.schemaVersion)) on remote '\(remote.name)'"
                    : "remote '\(remote.name)' already has smithlog tables (schema version \(RemoteInit.schemaVersion))"
            )
        }
    }
}
