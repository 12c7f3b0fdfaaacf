import Foundation
import Testing

/// `--help` on every command and subcommand prints its help on stdout and exits 0.
@Suite struct HelpTests {
    /// The names listed under `SUBCOMMANDS:` in a help text.
    static func subcommands(in help: String) -> [String] {
        guard let range = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        // The section ends at the next unindented line (the help's `Examples:` block follows it).
        let section = help[range.upperBound...].split(separator: "\n").prefix { $0.hasPrefix(" ") }
        return section.compactMap { line in
            // A subcommand line is indented by two spaces; its description's continuation lines by more.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            let name = line.dropFirst(2).prefix { $0 != " " }
            return name.isEmpty || name == "See" ? nil : String(name)
        }
    }

    /// Runs `--help` (with `environment`) on the root command and every subcommand it lists, recursively, and
    /// calls `body` with each command's path and result; returns how many were run.
    static func forEveryCommand(
        _ cli: CLIHarness, environment: [String: String] = [:],
        _ body: ([String], CLIHarness.Result) throws -> Void
    ) throws -> Int {
        var pending: [[String]] = [[]]
        var seen = 0
        while let path = pending.popLast() {
            // Commands nest two deep; deeper means a help text was misread as listing subcommands.
            guard path.count <= 2 else {
                Issue.record("not a command: \(path)")
                continue
            }
            let result = try cli.run(path + ["--help"], storeOption: false, environment: environment)
            seen += 1
            try body(path, result)
            pending += subcommands(in: result.stdout).filter { $0 != "help" }.map { path + [$0] }
        }
        return seen
    }

    @Test func everyCommandPrintsItsHelp() throws {
        let seen = try Self.forEveryCommand(CLIHarness()) { path, result in
            #expect(result.status == 0, "\(path) --help: \(result.stderr)")
            #expect(result.stdout.contains("USAGE: smithlog"), "\(path) --help printed: \(result.stdout.prefix(200))")
            #expect(result.stderr.isEmpty, "\(path) --help wrote to stderr: \(result.stderr)")
        }
        #expect(seen > 20)
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try CLIHarness().run(["--version"], storeOption: false)
        #expect(result.status == 0)
        #expect(result.stdout.first?.isNumber == true)
    }
}
