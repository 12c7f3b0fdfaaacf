import Foundation
import SmithJSON
import SmithStore
import Testing

/// `dataset import` walks a mapped file instead of reading it whole; what it records must not change: each row's
/// blob is the row's exact bytes in the file, the file's SHA-256 is of all its bytes, and a bad or repeated row
/// anywhere refuses the whole file.
@Suite("CLI: dataset import over a mapped file")
struct DatasetImportStreamingTests {
    func eventCount(_ cli: CLIHarness) throws -> Int64? {
        try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"]?.int64Value
    }

    /// Byte ranges of the rows of a JSON array file, found with SmithJSON alone (not the code under test).
    func arrayRowRanges(_ bytes: [UInt8]) throws -> [Range<Int>] {
        try JSONReader.withReader(bytes) { reader in
            var ranges: [Range<Int>] = []
            try reader.readArray { _, reader in ranges.append(try reader.readRawValue()) }
            return ranges
        }
    }

    /// Imports `path` as `name` and checks the recorded rows' blobs and the file's digest against the file.
    func checkImport(_ cli: CLIHarness, _ path: String, name: String, rows expected: [[UInt8]], format: String) throws {
        let r = try cli.run(["dataset", "import", path, "--name", name])
        #expect(r.status == 0, "\(r.stderr)")
        let file = try cli.read(path)
        let dataset = try cli.sqlRows("SELECT sha256, format, rows FROM datasets WHERE name = '\(name)'")
        #expect(dataset.first?["sha256"]?.stringValue == Digest.sha256(file).hex)
        #expect(dataset.first?["format"]?.stringValue == format)
        #expect(dataset.first?["rows"]?.int64Value == Int64(expected.count))
        let rows = try cli.sqlRows(
            "SELECT position, row_sha256 FROM instances WHERE dataset = '\(name)' ORDER BY position")
        #expect(rows.map { $0["position"]?.int64Value } == (0..<Int64(expected.count)).map { $0 })
        #expect(rows.map { $0["row_sha256"]?.stringValue } == expected.map { Digest.sha256($0).hex })
    }

    @Test("a JSON array and the same rows as JSON Lines: each row's exact bytes, and the whole file's SHA-256")
    func arrayAndLines() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let arrayPath = CLIHarness.sample + "/datasets/swesmith-sample.json"
        let array = try cli.read(arrayPath)
        let arrayRows = try arrayRowRanges(array).map { Array(array[$0]) }
        #expect(arrayRows.count > 1)
        try checkImport(cli, arrayPath, name: "as-array", rows: arrayRows, format: "json")

        // The same rows on one line each (re-serialised), with a blank line and CRLF ends mixed in.
        let lineRows = try arrayRows.map { Array(PythonJSON.dumps(try JSONParser.parse($0)).utf8) }
        var text: [UInt8] = []
        for (i, row) in lineRows.enumerated() {
            text += row + (i == 1 ? Array("\r\n\n".utf8) : [0x0A])
        }
        let linesPath = cli.dir + "/sample.jsonl"
        try Data(text).write(to: URL(fileURLWithPath: linesPath))
        try checkImport(cli, linesPath, name: "as-lines", rows: lineRows, format: "jsonl")
    }

    @Test("a bad last line or a repeated id refuses the whole JSON Lines file, in one line, recording nothing")
    func refusedWhole() throws {
        let cli = CLIHarness()
        try cli.run(["init"])
        let array = try cli.read(CLIHarness.sample + "/datasets/swesmith-sample.json")
        let rows = try arrayRowRanges(array).map { PythonJSON.dumps(try JSONParser.parse(Array(array[$0]))) }

        let bad = cli.dir + "/bad.jsonl"
        let badText = rows.joined(separator: "\n") + "\n{\"instance_id\": 7}\n"
        try badText.write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try cli.run(["dataset", "import", bad])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("smithlog: \(bad): $[\(rows.count)].instance_id: "), "\(r.stderr)")
        #expect(r.stderr.contains("line \(rows.count + 1)"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)

        let repeated = cli.dir + "/repeated.jsonl"
        try (rows + [rows[0]]).joined(separator: "\n").write(toFile: repeated, atomically: true, encoding: .utf8)
        let d = try cli.run(["dataset", "import", repeated])
        #expect(d.status == 1)
        #expect(d.stderr.contains("appears more than once"), "\(d.stderr)")
        #expect(d.stderr.split(separator: "\n").count == 1)
        #expect(try eventCount(cli) == 0)
    }
}
