import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile input to every reader command (issue 15): deep YAML and JSON, FIFOs where files are expected. Each is
/// refused with one short line, or skipped and counted; nothing accepted breaks `verify` or a query.
@Suite("CLI: hostile input")
struct HostileInputTests {
    /// YAML nested 100,000 levels deep (a flow sequence), which overflowed the YAML parser's stack.
    static let deepYAML =
        "model: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
    /// The same depth as compact block sequences.
    static let deepBlockYAML = "instances_by_exit_status:\n  " + String(repeating: "- ", count: 100_000) + "x\n"

    /// A torchtune-like config in JSON (YAML's subset), `depth` objects deep.
    static func nestedJSON(_ depth: Int) -> String {
        "{\"model\": " + String(repeating: "{\"a\": ", count: depth - 1) + "1" + String(repeating: "}", count: depth)
    }

    /// Expects a refusal: exit 1 and one stderr line of at most 300 characters.
    func expectOneLineRefusal(
        _ r: CLIHarness.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 1, "\(what): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = stderrLines(r)
        #expect(lines.count == 1, "\(what): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.allSatisfy { $0.count <= 300 }, "\(what): \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// Every stderr line is at most 300 characters.
    func expectShortLines(_ r: CLIHarness.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            stderrLines(r).allSatisfy { $0.count <= 300 }, "\(what): \(r.stderr)", sourceLocation: sourceLocation)
    }

    func write(_ cli: CLIHarness, _ name: String, _ text: String) throws -> String {
        let path = cli.dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("YAML nested 100,000 deep into each YAML reader: one line, exit 1; the log is untouched, verify passes")
    func deepYAMLIntoEveryReader() throws {
        let cli = CLIHarness()
        try cli.recordSampleRun()
        for (i, text) in [Self.deepYAML, Self.deepBlockYAML].enumerated() {
            let deep = try write(cli, "deep-\(i).yaml", text)
            expectOneLineRefusal(
                try cli.run([
                    "sft", "build", "x", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                    "--system-prompt-from", deep,
                ]), "sft build --system-prompt-from")
            expectOneLineRefusal(
                try cli.run(["checkpoint", "record", "--config", deep, "--epoch", "1"]), "checkpoint record --config")

            // The run folder's YAML files: refused under --strict; otherwise a warning and the run is ingested.
            for file in ["run_batch_exit_statuses.yaml", "run_batch.config.yaml", "args.yaml"] {
                let run = try cli.copy(CLIHarness.runFolder, to: "runs/\(i)-\(file)")
                if file == "args.yaml" { try FileManager.default.removeItem(atPath: run + "/run_batch.config.yaml") }
                try Data(text.utf8).write(to: URL(fileURLWithPath: run + "/" + file))
                let before = try cli.logLines()
                let strict = try cli.run(["ingest", "trajectories", run, "--strict"])
                expectOneLineRefusal(strict, "ingest trajectories --strict with a deep \(file)")
                #expect(strict.stderr.contains(file))
                #expect(try cli.logLines() == before)
                let lenient = try cli.run(["ingest", "trajectories", run])
                #expect(lenient.status == 0, "\(file): \(lenient.stderr)")
                #expect(lenient.stderr.contains("nested at most 512 levels deep"), "\(file): \(lenient.stderr)")
                expectShortLines(lenient, "ingest trajectories with a deep \(file)")
            }
        }
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try cli.run(["sql", "SELECT count(*) FROM trajectories"]).status == 0)
    }

    @Test("a config nested 1,500 deep (JSON or YAML) is refused; one 500 deep through aliases is kept and read back")
    func deepConfig() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let json = try write(cli, "deep.json.yaml", Self.nestedJSON(1_500))
        expectOneLineRefusal(try cli.run(["checkpoint", "record", "--config", json, "--epoch", "1"]), "JSON config")
        let block = try write(
            cli, "deep-block.yaml",
            "model:\n" + (1..<1_500).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1\n")
        expectOneLineRefusal(try cli.run(["checkpoint", "record", "--config", block, "--epoch", "1"]), "YAML config")
        // The pre-scan cannot see depth that aliases build; the conversion refuses it past the limit, with the path.
        func aliases(_ count: Int) -> String {
            var lines = ["a0: &a0 " + String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100)]
            for i in 1..<count {
                lines.append(
                    "a\(i): &a\(i) " + String(repeating: "[", count: 100) + "*a\(i - 1)"
                        + String(repeating: "]", count: 100))
            }
            return lines.joined(separator: "\n") + "\nmodel: {_component_: m}\nepochs: 1\n"
        }
        let tooDeep = try write(cli, "aliases-600.yaml", aliases(6))
        let refused = try cli.run(["checkpoint", "record", "--config", tooDeep, "--epoch", "1"])
        expectOneLineRefusal(refused, "aliases 600 deep")
        #expect(refused.stderr.contains("$.a5[0][0][0][0]…[0][0][0][0][0]: nested deeper than 512 levels"))
        #expect(try cli.logLines() == 0)

        let deepButAccepted = try write(cli, "aliases-500.yaml", aliases(5))
        try cli.ok(["checkpoint", "record", "--config", deepButAccepted, "--epoch", "1", "--name", "deep"])
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try cli.run(["sql", "SELECT count(*) FROM checkpoints"]).status == 0)
        #expect(try cli.run(["show", "checkpoint", "deep"]).status == 0)
    }

    @Test("a FIFO named <id>.traj in a run folder is skipped and counted; a FIFO named as a file is refused")
    func fifos() throws {
        let cli = CLIHarness()
        try cli.ok(["init"])
        let run = try cli.copy(CLIHarness.runFolder, to: "runs/fifo-run")
        let id = "pydicom__pydicom.7d361b3d.pr_1458"
        let traj = "\(run)/\(id)/\(id).traj"
        try FileManager.default.removeItem(atPath: traj)
        #expect(mkfifo(traj, 0o600) == 0)
        let flat = "\(run)/flat__x-1.traj"
        #expect(mkfifo(flat, 0o600) == 0)

        let r = try cli.run(["ingest", "trajectories", run])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("expected a regular file, found a FIFO"), "\(r.stderr)")
        #expect(r.stderr.contains(", 2 skipped"), "\(r.stderr)")
        expectShortLines(r, "ingest with FIFOs")
        let strict = try cli.run(["ingest", "trajectories", run, "--run", "strict-run", "--strict"])
        expectOneLineRefusal(strict, "--strict with a FIFO")

        let config = cli.dir + "/fifo-config.yaml"
        #expect(mkfifo(config, 0o600) == 0)
        expectOneLineRefusal(
            try cli.run(["checkpoint", "record", "--config", config, "--epoch", "1"]), "--config FIFO")
        expectOneLineRefusal(
            try cli.run([
                "sft", "build", "x", "--traj-run", "fifo-run", "--eval-run", "e", "--system-prompt-from", config,
            ]), "--system-prompt-from FIFO")
        // A FIFO among a checkpoint's files is no content of it: left out, not waited on.
        let checkpoint = cli.dir + "/ckpt/epoch_2"
        try FileManager.default.createDirectory(atPath: checkpoint, withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: URL(fileURLWithPath: checkpoint + "/model.safetensors"))
        #expect(mkfifo(checkpoint + "/pipe", 0o600) == 0)
        let recorded = try cli.run([
            "checkpoint", "record", "--config", CLIHarness.trainConfig, "--dir", checkpoint, "--hash", "--name", "c",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let files = try cli.head("checkpoint", "c")["files"]
        #expect(files?.arrayValue?.count == 1, "\(String(describing: files))")

        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try cli.run(["sql", "SELECT count(*) FROM trajectories"]).status == 0)
    }
}
