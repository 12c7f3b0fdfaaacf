import SmithJSON
import SmithReaders
import Testing

/// One reader, named, taking a file path.
struct FileReader: Sendable, CustomStringConvertible {
    var name: String
    /// YAML readers may accept a truncated file (a prefix of YAML is often valid YAML).
    var isYAML: Bool
    var read: @Sendable (String) throws -> Void

    var description: String { name }

    static let trajectory = FileReader(name: "TrajectoryReader", isYAML: false) {
        _ = try TrajectoryReader.read(atPath: $0)
    }
    static let instanceReport = FileReader(name: "EvalReportReader.readInstanceReport", isYAML: false) {
        _ = try EvalReportReader.readInstanceReport(atPath: $0)
    }
    static let summary = FileReader(name: "EvalReportReader.readSummary", isYAML: false) {
        _ = try EvalReportReader.readSummary(atPath: $0)
    }
    static let dataset = FileReader(name: "DatasetReader", isYAML: false) { _ = try DatasetReader.readRows(atPath: $0) }
    static let predictions = FileReader(name: "PredictionsReader", isYAML: false) {
        _ = try PredictionsReader.read(atPath: $0)
    }
    static let torchtune = FileReader(name: "TorchtuneConfigReader", isYAML: true) {
        _ = try TorchtuneConfigReader.read(atPath: $0)
    }
    static let exitStatuses = FileReader(name: "ExitStatusesReader", isYAML: true) {
        _ = try ExitStatusesReader.read(atPath: $0)
    }

    static let all: [FileReader] = [trajectory, instanceReport, summary, dataset, predictions, torchtune, exitStatuses]
}

/// A fixture, the reader meant for it, and how to change one value's type so the reader must object.
struct MangleCase: Sendable, CustomStringConvertible {
    var fixture: String
    var reader: FileReader
    var typeChange: @Sendable ([UInt8]) throws -> Mangled

    var description: String { "\(reader.name) ← \(fixture)" }

    func mangles() throws -> [Mangled] {
        let bytes = readBytes(Fixtures.path(fixture))
        return [Mangler.empty()] + Mangler.truncations(bytes) + Mangler.invalidUTF8(bytes) + [try typeChange(bytes)]
    }
}

private func trajectoryCase(_ file: String) -> MangleCase {
    MangleCase(fixture: file, reader: .trajectory) { bytes in
        if file.hasSuffix("function_calling_simple.traj") {
            return try Mangler.replacing([.key("history")], with: .number("5"), in: bytes, expected: "$.history")
        }
        return try Mangler.replacing(
            [.key("info"), .key("model_stats"), .key("tokens_sent")], with: .string("abc"), in: bytes,
            expected: "$.info.model_stats.tokens_sent")
    }
}

private let mangleCases: [MangleCase] =
    (Fixtures.files(endingWith: ".traj") + ["synthetic/swe-agent-1.1/pandas-dev__pandas.95280573.pr_53856.traj"])
    .map(trajectoryCase)
    + [
        EvalReportReaderTests.sweSmithReport, "swe-bench/astropy__astropy-12907.report.json",
        "swe-bench/astropy__astropy-13033.report.json",
    ].map { file in
        MangleCase(fixture: file, reader: .instanceReport) { bytes in
            try Mangler.replacing([.key("resolved")], with: .string("yes"), in: bytes, expected: "$.resolved")
        }
    }
    + [
        "swe-bench/keng_1.5_ultra.lite.results.json", "leaderboard/verified/20250807_mini-v1.7.0_gpt-5.verified.json",
        "leaderboard/verified/20251209_mini-v1.17.2_devstral-2512.verified.json",
    ].map { file in
        MangleCase(fixture: file, reader: .summary) { bytes in
            try Mangler.replacing(
                [.key("total_instances")], with: .string("x"), in: bytes, expected: "$.total_instances")
        }
    }
    + [
        MangleCase(fixture: "swe-agent/data_sources/swe-bench-lite-test.json", reader: .dataset) { bytes in
            try Mangler.replacing(
                [.index(0), .key("FAIL_TO_PASS")], with: .number("3"), in: bytes, expected: "$[0].FAIL_TO_PASS")
        },
        MangleCase(fixture: "synthetic/swe-bench-strings/swe-bench-lite-test.json", reader: .dataset) { bytes in
            try Mangler.replacing(
                [.index(1), .key("instance_id")], with: .null, in: bytes, expected: "$[1].instance_id")
        },
        MangleCase(fixture: "synthetic/swe-bench-strings/swe-bench-lite-test.jsonl", reader: .dataset) { bytes in
            try Mangler.replacingInLines(
                line: 1, [.key("instance_id")], with: .number("7"), in: bytes, expected: "$[1].instance_id")
        },
        MangleCase(fixture: "swe-smith/pandas-dev__pandas.95280573.pr_53652.json", reader: .dataset) { bytes in
            try Mangler.replacing([.key("PASS_TO_PASS")], with: .object([]), in: bytes, expected: "$.PASS_TO_PASS")
        },
        MangleCase(
            fixture: PredictionsReaderTests.preOneRun + "/all_preds.jsonl", reader: .predictions
        ) { bytes in
            try Mangler.replacingInLines(
                line: 0, [.key("model_patch")], with: .number("1"), in: bytes, expected: "$.model_patch")
        },
        MangleCase(fixture: "synthetic/swe-agent-1.x-run/preds.json", reader: .predictions) { bytes in
            try Mangler.replacing(
                [.key("pandas-dev__pandas.95280573.pr_53856"), .key("model_name_or_path")], with: .bool(true),
                in: bytes, expected: "$['pandas-dev__pandas.95280573.pr_53856'].model_name_or_path")
        },
        MangleCase(fixture: TorchtuneConfigReaderTests.fixture, reader: .torchtune) { bytes in
            Mangler.replacingText("epochs: 3", with: "epochs: three", in: bytes, expected: "$.epochs")
        },
        MangleCase(fixture: "synthetic/swe-agent-1.x-run/run_batch_exit_statuses.yaml", reader: .exitStatuses) {
            bytes in
            Mangler.replacingText(
                "total_cost: 0.4966197", with: "total_cost: lots", in: bytes, expected: "$.total_cost")
        },
    ]

@Suite("Mangled inputs")
struct MangledInputTests {
    @Test("every mangled fixture gives its reader a ReadError naming the file", arguments: mangleCases)
    func readerRejectsMangled(_ testCase: MangleCase) throws {
        let dir = TempDir()
        for mangled in try testCase.mangles() {
            let path = dir.write("\(mangled.kind.rawValue)/\(testCase.fixture)", mangled.bytes)
            do {
                try testCase.reader.read(path)
                // A prefix of a YAML file can itself be valid YAML; everything else must be rejected.
                #expect(testCase.reader.isYAML && mangled.kind == .truncated, "\(mangled) was accepted")
            } catch let error as ReadError {
                #expect(error.path == path, "\(mangled): \(error)")
                #expect(!error.message.isEmpty)
                #expect(!error.description.contains("\n"))
                switch mangled.kind {
                case .empty:
                    #expect(error.message.contains("empty"), "\(mangled): \(error)")
                case .typeChanged:
                    #expect(error.jsonPath == mangled.expectedJSONPath, "\(mangled): \(error)")
                case .truncated, .invalidUTF8:
                    if !testCase.reader.isYAML { #expect(error.jsonPath != nil, "\(mangled): \(error)") }
                }
            } catch {
                Issue.record("\(mangled): expected a ReadError, got \(type(of: error)): \(error)")
            }
        }
    }

    @Test(
        "any reader given any fixture, intact or mangled, answers with a value or a ReadError",
        arguments: FileReader.all)
    func everyReaderSurvivesEveryInput(_ reader: FileReader) throws {
        let dir = TempDir()
        var inputs: [(String, [UInt8])] = []
        // Every fixture intact, cut in half, with a bad byte in the middle and with its type change: the
        // other cuts add time, not coverage, when the reader is not the one meant for the file.
        let fixtures =
            mangleCases.map(\.fixture) + [
                "swe-smith/agent/swesmith_infer.yaml", PredictionsReaderTests.preOneRun + "/args.yaml",
            ]
        for fixture in fixtures {
            let bytes = readBytes(Fixtures.path(fixture))
            inputs.append((fixture, bytes))
            inputs.append(("half/\(fixture)", Array(bytes.prefix(bytes.count / 2))))
            inputs.append(("utf8/\(fixture)", Mangler.invalidUTF8(bytes)[1].bytes))
        }
        for testCase in mangleCases {
            inputs.append(
                ("typed/\(testCase.fixture)", try testCase.typeChange(readBytes(Fixtures.path(testCase.fixture))).bytes)
            )
        }
        for (index, (relative, bytes)) in inputs.enumerated() {
            let path = dir.write("\(index)/\(relative)", bytes)
            do {
                try reader.read(path)
            } catch let error as ReadError {
                #expect(error.path == path)
            } catch {
                Issue.record("\(relative): expected a ReadError, got \(type(of: error)): \(error)")
            }
        }
    }

    @Test("a run folder with mangled auxiliary files lists each as a problem with its path")
    func mangledRunFolder() throws {
        let run = PredictionsReaderTests.preOneRun
        let args = readBytes(Fixtures.path(run + "/args.yaml"))
        let preds = readBytes(Fixtures.path(run + "/all_preds.jsonl"))
        let variants: [(String, [UInt8], [UInt8])] = [
            ("empty", [], []),
            ("utf8", Mangler.invalidUTF8(args)[1].bytes, Mangler.invalidUTF8(preds)[1].bytes),
            ("truncated", Array(args.prefix(args.count / 2)), Array(preds.prefix(preds.count / 2))),
            (
                "typed",
                Array(
                    String(decoding: args, as: UTF8.self).replacingFirst("model_name: gpt4", with: "model_name: [gpt4]")
                        .utf8),
                Array(
                    String(decoding: preds, as: UTF8.self).replacingFirst(
                        "\"model_patch\": \"", with: "\"model_patch\": 1, \"x\": \""
                    ).utf8)
            ),
        ]
        for (label, argsBytes, predsBytes) in variants {
            let dir = TempDir()
            let folder = dir.copy(fixture: run, to: "run")
            let argsPath = dir.write("run/args.yaml", argsBytes)
            let predsPath = dir.write("run/all_preds.jsonl", predsBytes)
            let read = try RunFolderReader.read(atPath: folder)
            #expect(read.trajectories.count == 1, "\(label)")
            #expect(read.problems.contains { $0.path == predsPath }, "\(label): \(read.problems)")
            // Half of args.yaml is still valid YAML; every other variant must be reported.
            if label != "truncated" {
                #expect(read.problems.contains { $0.path == argsPath }, "\(label): \(read.problems)")
            }
            if label == "typed" {
                #expect(read.problems.first { $0.path == argsPath }?.jsonPath == "$.agent.model.model_name")
                #expect(read.problems.first { $0.path == predsPath }?.jsonPath == "$.model_patch")
            }
        }
    }

    @Test("an evaluation run with mangled reports counts each bad file and keeps the rest")
    func mangledEvalRun() throws {
        let report = readBytes(Fixtures.path(EvalReportReaderTests.sweSmithReport))
        let dir = TempDir()
        dir.copy(fixture: "swe-bench/astropy__astropy-12907.report.json", to: "run/good__r.12345678.pr_1/report.json")
        var bad: [String] = []
        let mangles = [Mangler.empty()] + Mangler.truncations(report) + Mangler.invalidUTF8(report)
        for (i, mangled) in mangles.enumerated() {
            bad.append(dir.write("run/bad\(i)__r.12345678.pr_1/report.json", mangled.bytes))
        }
        let scanned = try EvalRunFolder.scan(dir.path + "/run")
        #expect(scanned.instances.map(\.instanceId) == ["good__r.12345678.pr_1"])
        #expect(Set(scanned.errors.map(\.path)) == Set(bad))
    }
}
