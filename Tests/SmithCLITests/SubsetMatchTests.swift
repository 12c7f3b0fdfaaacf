import SmithJSON
import Testing

/// `ingest trajectories` names the subset a run was made on: the subset with exactly its instances, else the
/// smallest containing them all (read subset by subset, smallest first).
@Suite("The subset a run was made on")
struct SubsetMatchTests {
    /// A store with the sample dataset and the subsets `conditions` (name, --where), then the sample run.
    static func runSubset(_ conditions: [(String, String)]) throws -> String? {
        let cli = CLIHarness()
        let s = CLIHarness.sample
        var steps: [[String]] = [
            ["init"], ["dataset", "import", s + "/datasets/swesmith-sample.json", "--name", "swesmith-sample"],
        ]
        for (name, condition) in conditions {
            steps.append(["subset", "create", name, "--dataset", "swesmith-sample", "--where", condition])
        }
        steps.append(["ingest", "trajectories", s + "/trajectories/lead/sample-run", "--run", "sample-run"])
        for step in steps {
            let r = try cli.run(step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        return try cli.head("run", "sample-run")["subset"]?.stringValue
    }

    @Test("exact members win over larger subsets and smaller ones are passed over; else the smallest container")
    func exactThenSmallestContainer() throws {
        let all = ("all", "1")
        let nine = ("first-nine", "position < 9")
        let four = ("first-four", "position < 4")
        let eight = ("first-eight", "position < 8")
        #expect(try Self.runSubset([all, four, nine, eight]) == "first-eight@1")
        #expect(try Self.runSubset([all, four, nine]) == "first-nine@1")
        #expect(try Self.runSubset([four]) == nil)
    }

    @Test("a subset of the same size or larger that names other instances is passed over for the one that holds them")
    func othersOfTheSameSizePassedOver() throws {
        // Read first (same member count, earlier name), each naming an instance the run lacks.
        let shiftedEight = ("a-shifted-eight", "position >= 1 AND position < 9")
        let shiftedNine = ("a-shifted-nine", "position >= 1 AND position < 10")
        #expect(try Self.runSubset([shiftedEight, ("first-eight", "position < 8")]) == "first-eight@1")
        #expect(try Self.runSubset([shiftedEight, shiftedNine, ("first-nine", "position < 9")]) == "first-nine@1")
    }
}
