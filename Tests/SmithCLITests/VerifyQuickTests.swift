import Foundation
import Testing

@Suite("CLI: verify --quick")
struct VerifyQuickTests {
    @Test("verify --quick checks the chain, indexes and cited blobs without re-hashing, and --help shows it")
    func quick() throws {
        let cli = CLIHarness()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"]).status == 0)
        let quick = try cli.run(["verify", "--quick"])
        #expect(quick.status == 0)
        #expect(
            quick.stdout.hasPrefix(
                "ok: 11 events chained, indexes checked, every cited blob present (blobs not re-hashed: --quick)"))
        let full = try cli.run(["verify"])
        #expect(full.stdout.hasPrefix("ok: 11 events chained, 11 blobs re-hashed"))
        let help = try cli.run(["verify", "--help"])
        #expect(help.stdout.contains("--quick"))
        #expect(help.stdout.contains("smithlog verify --quick"))
    }
}
