import Foundation
import Testing

/// Whatever a user passes, an error is one line of at most 300 characters.
@Suite struct ErrorLineTests {
    @Test func aLongNameGivesAShortLine() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let name = String(repeating: "very-long-name-", count: 200)
        for args in [["show", "run", name], ["lineage", name], ["sft", "export", name, "-o", cli.dir + "/x.jsonl"]] {
            let r = try cli.run(args)
            #expect(r.status != 0, "\(args.prefix(2))")
            let lines = stderrLines(r)
            #expect(lines.count == 1, "\(args.prefix(2)): \(r.stderr)")
            #expect(lines.allSatisfy { $0.count <= 300 }, "\(args.prefix(2)): \(lines.map(\.count))")
            #expect(r.stderr.hasPrefix("smithlog: "))
        }
    }
}
