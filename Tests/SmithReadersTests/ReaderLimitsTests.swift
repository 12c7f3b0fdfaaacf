import Foundation
import SmithJSON
import Testing

@testable import SmithReaders

#if canImport(Glibc)
    import Glibc
#endif

/// The readers' depth, size and file-type limits, and the length of their error lines.
@Suite("Reader limits")
struct ReaderLimitsTests {
    /// Every YAML reader, taking a path.
    static let yamlReaders: [(String, @Sendable (String) throws -> Void)] = [
        ("TorchtuneConfigReader", { _ = try TorchtuneConfigReader.read(atPath: $0) }),
        ("ExitStatusesReader", { _ = try ExitStatusesReader.read(atPath: $0) }),
        ("AgentConfigReader", { _ = try AgentConfigReader.systemTemplate(atPath: $0) }),
    ]

    /// The YAML texts that nest 100,000 levels deep (or, for block indentation, 1,500: deeper needs gigabytes).
    static let deepYAML: [(String, String)] = [
        ("flow", "model: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"),
        (
            "flow mappings",
            "model: " + String(repeating: "{a: ", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        ),
        ("compact sequences", "model:\n" + String(repeating: "- ", count: 100_000) + "x\n"),
        ("compact without spaces after the last", String(repeating: "-\t", count: 100_000) + "\n"),
        (
            "block indentation",
            (0..<1_500).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        ),
        ("explicit keys", String(repeating: "? ", count: 100_000) + "x\n"),
        ("carriage returns", (0..<1_500).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\r")),
    ]

    @Test("YAML nested 100,000 deep is refused by every YAML reader, in one short line, before parsing")
    func deepYAMLRefused() throws {
        let dir = TempDir()
        for (shape, text) in Self.deepYAML {
            let file = dir.write("deep-\(shape.replacingOccurrences(of: " ", with: "-")).yaml", text)
            for (name, read) in Self.yamlReaders {
                do {
                    try read(file)
                    Issue.record("\(name) accepted \(shape)")
                } catch let error as ReadError {
                    #expect(error.message.contains("nested at most 512 levels deep"), "\(name), \(shape): \(error)")
                    #expect(error.description.count <= ReadError.maximumLineLength)
                    #expect(!error.description.contains("\n"))
                }
            }
        }
    }

    @Test("the pre-scan passes every YAML fixture and real nesting well inside the limit")
    func preScanAcceptsRealFiles() throws {
        let roots = [Fixtures.root, Fixtures.root + "/../../examples/sample"]
        var checked = 0
        for root in roots {
            let files = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            for relative in files where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
                #expect(YAMLNestingBound.firstLineOverLimit(bytes) == nil, "\(relative)")
                checked += 1
            }
        }
        #expect(checked >= 8)
        // 100 levels of indented mappings, and 100 of flow sequences, parse and convert.
        let block = (0..<100).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        let value = try YAMLDocument.parse(block, file: "block.yaml")
        var depth = 0
        var node = value
        while let inner = node["k"] {
            depth += 1
            node = inner
        }
        #expect(depth == 100)
        let flow = "x: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try YAMLDocument.parse(flow, file: "flow.yaml")["x"] != nil)
    }

    @Test("aliases that compose deeper than the limit are refused with the JSON path, elided")
    func aliasDepth() throws {
        // Each anchor nests 100 levels and holds the previous one: shallow text, a value 601 levels deep.
        var lines = ["a0: &a0 " + String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100)]
        for i in 1...6 {
            lines.append(
                "a\(i): &a\(i) " + String(repeating: "[", count: 100) + "*a\(i - 1)"
                    + String(repeating: "]", count: 100))
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(YAMLNestingBound.firstLineOverLimit(Array(text.utf8)) == nil)
        do {
            _ = try YAMLDocument.parse(text, file: "aliases.yaml")
            Issue.record("accepted a value nested 601 levels deep")
        } catch {
            #expect(error.message == "nested deeper than 512 levels")
            let path = try #require(error.jsonPath)
            #expect(path.hasPrefix("$.a5[0][0][0]"))
            #expect(JSONPath.components(path).count == 512)
            #expect(error.description.contains("…"))
            #expect(error.description.count <= ReadError.maximumLineLength)
        }
    }

    @Test("a YAML or JSON config nested 1,500 deep is refused; JSON 512 deep is read, 513 is not")
    func jsonDepth() throws {
        let dir = TempDir()
        func nested(_ depth: Int) -> String {
            "{\"model\": " + String(repeating: "{\"a\": ", count: depth - 1) + "1"
                + String(repeating: "}", count: depth)
        }
        let config = dir.write("config.yaml", nested(1_500))
        #expect(throws: ReadError.self) { try TorchtuneConfigReader.read(atPath: config) }
        let yamlConfig = dir.write(
            "block.yaml",
            "model:\n" + (1..<1_500).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1\n")
        #expect(throws: ReadError.self) { try TorchtuneConfigReader.read(atPath: yamlConfig) }

        let ok = dir.write("ok.json", nested(512))
        #expect(throws: Never.self) { try JSONDocument.readFile(ok) }
        for depth in [513, 1_000, 1_500] {
            let deep = dir.write("deep-\(depth).json", nested(depth))
            do {
                _ = try JSONDocument.readFile(deep)
                Issue.record("accepted JSON \(depth) deep")
            } catch {
                #expect(error.message == "nested deeper than 512 levels", "\(depth): \(error)")
                #expect(error.description.contains(": $.model.a.a.a.a….a.a.a.a.a: nested deeper"), "\(depth): \(error)")
                #expect(error.description.count <= ReadError.maximumLineLength)
            }
        }
        // A run configuration held as JSON in a YAML string (SWE-agent 1.x) is held to the same limit.
        let run = dir.write("run_batch.config.yaml", "'" + nested(600) + "'\n")
        #expect(throws: ReadError.self) { try RunConfig.read(run) }
        // So is a trajectory's info, which is parsed into a value.
        let traj = dir.write("x.traj", "{\"trajectory\": [], \"info\": " + nested(600) + "}")
        do {
            _ = try TrajectoryReader.read(atPath: traj)
            Issue.record("accepted a trajectory info 601 deep")
        } catch {
            #expect(error.jsonPath?.hasPrefix("$.info.model.a") == true)
        }
    }

    @Test("long JSON paths are elided in the middle; short ones are kept")
    func pathElision() {
        var path = JSONPath.root
        for i in 0..<1_000 { path = i % 2 == 0 ? path.key("k\(i)") : path.index(i) }
        let elided = JSONPath.elided(path.text)
        #expect(elided == "$.k0[1].k2[3].k4…[995].k996[997].k998[999]")
        let short = JSONPath.root.key("a").key("odd 'key'").index(3).key("b")
        #expect(JSONPath.elided(short.text) == short.text)
        let quoted = (0..<20).reduce(JSONPath.root) { p, i in p.key("x']\\[\(i)") }
        #expect(JSONPath.components(quoted.text).count == 20)
        #expect(JSONPath.elided(quoted.text).hasSuffix(JSONPath.root.key("x']\\[19").text.dropFirst()))
    }

    @Test("error lines stay short: long file names, paths and quoted messages are cut in the middle")
    func lineLength() {
        let error = ReadError(
            path: "/tmp/" + String(repeating: "d/", count: 400) + "file.yaml",
            jsonPath: "$" + String(repeating: "['a long key']", count: 300),
            message: "expected something, found " + String(repeating: "x", count: 3_000) + " at the end")
        let line = error.description
        #expect(line.count <= ReadError.maximumLineLength)
        #expect(line.hasPrefix("/tmp/d/d/"))
        #expect(line.contains("file.yaml: $['a long key']"))
        #expect(line.hasSuffix(" at the end"))
    }

    @Test("FIFOs, sockets' kin and folders are refused without blocking; a FIFO trajectory is still listed")
    func specialFiles() throws {
        let dir = TempDir()
        let run = dir.path + "/run"
        let instance = run + "/repo__x-1"
        try FileManager.default.createDirectory(atPath: instance, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("synthetic/swe-agent-1.1/pandas-dev__pandas.95280573.pr_53856.traj"),
            toPath: run + "/good.traj")
        #expect(mkfifo(instance + "/repo__x-1.traj", 0o600) == 0)
        #expect(mkfifo(run + "/flat.traj", 0o600) == 0)
        #expect(mkfifo(run + "/run_batch_exit_statuses.yaml", 0o600) == 0)

        let folder = try RunFolderReader.read(atPath: run)
        #expect(folder.trajectories.map(\.instanceId) == ["flat", "good", "repo__x-1"])
        #expect(folder.problems.map(\.message) == ["expected a regular file, found a FIFO"])
        for t in folder.trajectories where t.instanceId != "good" {
            #expect(throws: ReadError(path: t.path, message: "expected a regular file, found a FIFO")) {
                try TrajectoryReader.read(atPath: t.path)
            }
        }
        #expect(throws: ReadError.self) { try TorchtuneConfigReader.read(atPath: run + "/flat.traj") }
        #expect(throws: ReadError(path: "/dev/null", message: "expected a regular file, found a character device")) {
            try PredictionsReader.read(atPath: "/dev/null")
        }
        #expect(throws: ReadError(path: dir.path, message: "expected a file, found a folder")) {
            try MappedFileBytes(path: dir.path)
        }
    }

    @Test("files over a reader's size limit are refused before they are read")
    func sizeLimit() throws {
        let dir = TempDir()
        let file = dir.write("big.json", "[" + String(repeating: "1,", count: 100) + "1]")
        #expect(throws: ReadError(path: file, message: "the file is 203 bytes; at most 100 are read")) {
            try FileBytes.read(file, limit: 100)
        }
        #expect(throws: Never.self) { try FileBytes.read(file, limit: 203) }
    }
}
