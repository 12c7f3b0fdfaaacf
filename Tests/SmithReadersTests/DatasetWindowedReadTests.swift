import Foundation
import SmithJSON
import SmithReaders
import Testing

/// The windowed walk `smithlog dataset import` uses (a mapped file whose pages are handed back as it goes) must
/// see exactly what the in-memory walk sees: the same rows, the same errors, and every byte once for the hash.
@Suite("DatasetReader: windowed walk over a mapped file")
struct DatasetWindowedReadTests {
    /// Rows, and the pieces `consumed` handed over, from a walk of `path` releasing every `window` bytes.
    func windowed(_ path: String, window: Int) throws -> (rows: [DatasetRow], pieces: [[UInt8]]) {
        let file = try MappedFileBytes(path: path)
        var rows: [DatasetRow] = []
        var pieces: [[UInt8]] = []
        try DatasetReader.forEachRow(in: file, window: window, consumed: { pieces.append(Array($0)) }) {
            rows.append($0)
        }
        return (rows, pieces)
    }

    func inMemory(_ path: String) throws -> [DatasetRow] {
        var rows: [DatasetRow] = []
        try DatasetReader.forEachRow(in: readBytes(path), file: path) { rows.append($0) }
        return rows
    }

    /// A dataset of `count` SWE-smith-like rows (each longer than a page, so releases fall inside the file), as a
    /// `json.dump(indent=2)`-style array or as JSON Lines with a blank line and a CRLF line end in it.
    func generated(_ dir: TempDir, lines: Bool, count: Int = 40) -> String {
        var rows: [String] = []
        for i in 0..<count {
            let patch = String(repeating: "diff --git a/f\(i).py\\n+x = \(i)\\n", count: 150 + i * 7)
            rows.append(
                lines
                    ? #"{"instance_id": "o__r.1234abcd.lm_rewrite__\#(i)", "repo": "swesmith/o__r.1234abcd", "#
                        + #""patch": "\#(patch)", "FAIL_TO_PASS": ["t\#(i)"], "PASS_TO_PASS": "[\"a\", \"b\"]"}"#
                    : "  {\n    \"instance_id\": \"o__r.1234abcd.pr_\(i)\",\n    \"patch\": \"\(patch)\",\n"
                        + "    \"FAIL_TO_PASS\": [\n      \"t\(i)\"\n    ],\n    \"PASS_TO_PASS\": []\n  }")
        }
        if lines {
            // Row 2 ends in CRLF and a blank line follows it: neither may shift a row's bytes or line.
            rows[2] += "\r\n"
            return dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
        }
        return dir.write("rows.json", "[\n" + rows.joined(separator: ",\n") + "\n]\n")
    }

    @Test(
        "fixtures: the same rows as the in-memory walk, and every byte handed over once, in order",
        arguments: [
            "swe-agent/data_sources/swe-bench-lite-test.json", "synthetic/swe-bench-strings/swe-bench-lite-test.jsonl",
            "swe-smith/pandas-dev__pandas.95280573.pr_53652.json",
        ])
    func fixtures(_ fixture: String) throws {
        let path = Fixtures.path(fixture)
        for window in [1, 4096, 1 << 30] {
            let (rows, pieces) = try windowed(path, window: window)
            #expect(rows == (try inMemory(path)))
            #expect(pieces.flatMap { $0 } == readBytes(path))
        }
        #expect(try DatasetReader.format(of: MappedFileBytes(path: path)) == DatasetReader.format(atPath: path))
    }

    @Test("generated files bigger than a page: rows, raw bytes and lines as in memory", arguments: [false, true])
    func generatedFiles(_ lines: Bool) throws {
        let dir = TempDir()
        let path = generated(dir, lines: lines)
        let expected = try inMemory(path)
        #expect(expected.count == 40)
        let file = readBytes(path)
        for window in [1, 10_000, 100_000] {
            let (rows, pieces) = try windowed(path, window: window)
            #expect(rows == expected)
            #expect(rows.allSatisfy { Array(file[$0.byteRange]) == $0.raw })
            #expect(pieces.flatMap { $0 } == file)
            // A tiny window hands over (and releases) after every row; the last piece is the rest of the file.
            if window == 1 { #expect(pieces.count == expected.count + 1) }
        }
        #expect(expected.map(\.line).first == (lines ? 1 : 2))
        if lines {
            // Lines are numbered and cut as SmithJSON's own JSON Lines walk does (blank lines count, CR goes).
            var reference: [(Int, Range<Int>)] = []
            JSONLines.forEachLine(file) { reference.append(($0, $1)) }
            #expect(expected.map(\.line) == reference.map(\.0))
            #expect(expected.map(\.byteRange) == reference.map(\.1))
            #expect(expected[3].line == 5)
        }
    }

    @Test("JSON Lines edge cases: blank and white-space lines, CRLF, no final newline, a lone CR")
    func lineEdges() throws {
        let dir = TempDir()
        let row = #"{"instance_id": "a__b.1234abcd.pr_"#
        let text = "\n  \t\n\(row)1\"}\r\n\r\n \r\n\(row)2\"} \n\n\(row)3\"}\r"
        let path = dir.write("edges.jsonl", text)
        var reference: [(Int, Range<Int>)] = []
        JSONLines.forEachLine(readBytes(path)) { reference.append(($0, $1)) }
        for window in [1, 1 << 20] {
            let (rows, pieces) = try windowed(path, window: window)
            #expect(rows.map(\.line) == reference.map(\.0))
            #expect(rows.map(\.byteRange.lowerBound) == reference.map(\.1.lowerBound))
            #expect(rows.map(\.line) == [3, 6, 8])
            #expect(rows.allSatisfy { $0.raw.first == UInt8(ascii: "{") && $0.raw.last == UInt8(ascii: "}") })
            #expect(pieces.flatMap { $0 } == readBytes(path))
        }
    }

    @Test("a bad row after released pages gives the in-memory walk's error, line and path", arguments: [false, true])
    func lateError(_ lines: Bool) throws {
        let dir = TempDir()
        let path = generated(dir, lines: lines)
        var bytes = readBytes(path)
        // Break the FAIL_TO_PASS of the last row: a number where a list of test names belongs.
        let needle = Array((lines ? #""FAIL_TO_PASS": ["t39"]"# : "\"FAIL_TO_PASS\": [\n      \"t39\"\n    ]").utf8)
        let at = try #require(bytes.indices.last { bytes[$0...].starts(with: needle) })
        bytes.replaceSubrange(at..<(at + needle.count), with: Array(#""FAIL_TO_PASS": 7"#.utf8))
        let bad = dir.write("bad" + (lines ? ".jsonl" : ".json"), bytes)
        let memoryError = #expect(throws: ReadError.self) { try inMemory(bad) }
        let windowError = #expect(throws: ReadError.self) { try windowed(bad, window: 1) }
        #expect(windowError == memoryError)
        #expect(windowError?.jsonPath == "$[39].FAIL_TO_PASS")

        // Invalid JSON late in an array: the error rescans the file from the top for its line, released or not.
        // (The array's closing `]`, now `@`.)
        var broken = readBytes(generated(dir, lines: false))
        #expect(broken.suffix(2) == Array("]\n".utf8))
        broken[broken.count - 2] = UInt8(ascii: "@")
        let brokenPath = dir.write("broken.json", broken)
        let a = #expect(throws: ReadError.self) { try inMemory(brokenPath) }
        let b = #expect(throws: ReadError.self) { try windowed(brokenPath, window: 1) }
        #expect(a != nil && a == b)
        let message = a?.message ?? ""
        #expect(message.contains("invalid JSON") && message.contains("line 322"), "\(message)")
    }

    @Test("an empty file and a folder are refused as before")
    func emptyAndFolder() throws {
        let dir = TempDir()
        let empty = dir.write("empty.jsonl", [])
        let a = #expect(throws: ReadError.self) { try inMemory(empty) }
        let b = #expect(throws: ReadError.self) { try windowed(empty, window: 1) }
        #expect(a != nil && a == b)
        let folder = #expect(throws: ReadError.self) { try MappedFileBytes(path: dir.path) }
        #expect(folder?.message == "expected a file, found a folder")
    }
}
