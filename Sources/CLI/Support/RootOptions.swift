import ArgumentParser

/// `--store PATH` given before the subcommand (`smithlog --store S leaderboard`), as git takes `-C`.
///
/// Every command reads the store from its own `StoreOptions`; this moves a leading `--store X` / `--store=X`
/// to just after the subcommand's name, so ArgumentParser parses it there and nothing else changes.
enum RootOptions {
    /// `arguments` (without the program name) with leading `--store` options moved after the subcommand path.
    static func arguments(_ arguments: [String], root: any ParsableCommand.Type = Smithlog.self) -> [String] {
        var rest = arguments[...]
        var moved: [String] = []
        while let first = rest.first {
            if first == "--store", rest.count >= 2 {
                moved += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--store=") {
                moved.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return arguments }
        // The subcommand path: each word naming a subcommand of the one before.
        var command = root
        var path: [String] = []
        while let word = rest.first,
            let sub = command.configuration.subcommands.first(where: { $0._commandName == word })
        {
            path.append(word)
            command = sub
            rest = rest.dropFirst()
        }
        return path + moved + rest
    }
}
