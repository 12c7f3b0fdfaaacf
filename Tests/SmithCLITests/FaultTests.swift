import Foundation
import SmithJSON
import Testing

/// `kill -9` of each ingest command at every artifact boundary: the store opens and verifies, re-running the
/// command completes, and the projections equal those of an uninterrupted run.
@Suite("CLI: interrupted ingests")
struct FaultTests {
    struct Step: Sendable, CustomStringConvertible {
        var name: String
        var args: [String]
        var artifacts: Int
        var description: String { name }
    }

    static let steps = [
        Step(
            name: "dataset import",
            args: ["dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json"], artifacts: 11),
        Step(
            name: "ingest trajectories", args: ["ingest", "trajectories", IngestCommandTests.sampleRun, "--run", "r"],
            artifacts: 9),
        Step(
            name: "ingest eval", args: ["ingest", "eval", IngestCommandTests.sampleEval, "--of-run", "r"],
            artifacts: 9),
    ]

    /// Runs the steps before `step` (uninterrupted) in a fresh store.
    func prepared(upTo step: Step) throws -> CLIHarness {
        let cli = CLIHarness()
        try cli.run(["init"])
        for s in Self.steps {
            if s.name == step.name { break }
            #expect(try cli.run(s.args).status == 0)
        }
        return cli
    }

    func dump(_ cli: CLIHarness) throws -> [String] {
        var out: [String] = []
        for table in ["datasets", "instances", "runs", "trajectories", "eval_runs", "verdicts"] {
            let r = try cli.run(["sql", "--json", "SELECT * FROM \(table) ORDER BY 1, 2"])
            #expect(r.status == 0, "\(r.stderr)")
            // recorded_at differs between the two stores; everything else must match.
            let rows = try JSONParser.parse(r.stdout).arrayValue ?? []
            out += rows.map { row in
                PythonJSON.dumps(.object((row.objectValue ?? []).filter { $0.0 != "recorded_at" }))
            }
        }
        return out
    }

    @Test("killed after each artifact, then re-run", arguments: steps)
    func killedAndResumed(step: Step) throws {
        let reference = try prepared(upTo: step)
        #expect(try reference.run(step.args).status == 0)
        let expected = try dump(reference)
        for point in 1..<step.artifacts {
            let cli = try prepared(upTo: step)
            let killed = try cli.run(step.args, environment: ["SMITHLOG_FAULT_AFTER_ARTIFACTS": String(point)])
            #expect(killed.status != 0, "\(step) at \(point) was not interrupted")
            #expect(try cli.run(["verify"]).status == 0, "\(step) at \(point): verify failed")
            let resumed = try cli.run(step.args)
            #expect(resumed.status == 0, "\(step) at \(point): \(resumed.stderr)")
            #expect(try dump(cli) == expected, "\(step) at \(point): projections differ")
        }
    }
}
