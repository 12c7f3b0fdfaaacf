import SmithJSON
import SmithReaders
import Testing

@Suite("DatasetReader")
struct DatasetReaderTests {
    static let sweBenchIds = [
        "django__django-16255", "sympy__sympy-13031", "pytest-dev__pytest-11143", "scikit-learn__scikit-learn-13584",
        "django__django-15781",
    ]
    static let f2p = [1, 1, 1, 6, 1]
    static let p2p = [36, 9, 114, 3, 43]

    @Test(
        "SWE-bench rows with FAIL_TO_PASS as lists (the fixture) and as JSON strings (the HF form)",
        arguments: [
            "swe-agent/data_sources/swe-bench-lite-test.json", "synthetic/swe-bench-strings/swe-bench-lite-test.json",
            "synthetic/swe-bench-strings/swe-bench-lite-test.jsonl",
        ])
    func sweBenchRows(_ fixture: String) throws {
        let path = Fixtures.path(fixture)
        let rows = try DatasetReader.readRows(atPath: path)
        #expect(rows.map(\.instanceId) == Self.sweBenchIds)
        #expect(rows.map(\.failToPassCount) == Self.f2p)
        #expect(rows.map(\.passToPassCount) == Self.p2p)
        #expect(rows.map(\.bugType) == Array(repeating: "swe-bench", count: 5))
        #expect(rows.first?.repo == "django/django")
        #expect(rows.first?.createdAt == "2022-11-04T13:49:40Z")
        #expect(rows.map(\.index) == [0, 1, 2, 3, 4])
        #expect(try DatasetReader.format(atPath: path) == (fixture.hasSuffix(".jsonl") ? .jsonLines : .jsonArray))
        // Each row's raw bytes are exactly its text in the file, and parse to the same row.
        let file = readBytes(path)
        let isLines = fixture.hasSuffix(".jsonl")
        let lines = String(decoding: file, as: UTF8.self).split(separator: "\n")
        for row in rows {
            #expect(Array(file[row.byteRange]) == row.raw)
            let value = try JSONParser.parse(row.raw)
            let expected =
                isLines
                ? try JSONParser.parse(Array(lines[row.index].utf8))
                : try #require(try JSONParser.parse(file).arrayValue)[row.index]
            #expect(value == expected)
        }
        if isLines { #expect(rows.map(\.line) == [1, 2, 3, 4, 5]) }
    }

    @Test("the SWE-smith row: a single object with lists")
    func sweSmithRow() throws {
        let path = Fixtures.path("swe-smith/pandas-dev__pandas.95280573.pr_53652.json")
        let rows = try DatasetReader.readRows(atPath: path)
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(try DatasetReader.format(atPath: path) == .singleObject)
        #expect(row.instanceId == "pandas-dev__pandas.95280573.pr_53652")
        #expect(row.repo == "swesmith/pandas-dev__pandas.95280573")
        #expect(row.imageName == "swesmith.x86_64.pandas-dev__pandas.95280573")
        #expect(row.createdAt == "2025-03-21T08:23:31.701599")
        #expect(row.bugType == "pr")
        #expect(row.line == 1)
        #expect(row.raw == readBytes(path).dropLast(readBytes(path).last == 0x0A ? 1 : 0).map { $0 })
        let value = try JSONParser.parse(row.raw)
        #expect(row.failToPassCount == value["FAIL_TO_PASS"]?.arrayValue?.count)
        #expect(row.passToPassCount == value["PASS_TO_PASS"]?.arrayValue?.count)
    }

    @Test("a json.dump(indent=2) array of rows: lines and raw bytes of each row")
    func indentedArray() throws {
        let dir = TempDir()
        let text = """
            [
              {
                "instance_id": "a__b.1234abcd.lm_rewrite__x1",
                "FAIL_TO_PASS": ["t1", "t2"]
              },
              {
                "instance_id": "a__b.1234abcd.func_pm_remove_assign__q",
                "FAIL_TO_PASS": "[\\"t1\\"]",
                "PASS_TO_PASS": null
              }
            ]
            """
        let path = dir.write("subset.json", text)
        var rows: [DatasetRow] = []
        try DatasetReader.forEachRow(atPath: path) { rows.append($0) }
        #expect(rows.map(\.line) == [2, 6])
        #expect(rows.map(\.bugType) == ["lm_rewrite", "func_pm_remove_assign"])
        #expect(rows.map(\.failToPassCount) == [2, 1])
        #expect(rows[1].passToPassCount == nil)
        #expect(String(decoding: rows[0].raw, as: UTF8.self).hasPrefix("{\n    \"instance_id\""))
        #expect(String(decoding: rows[0].raw, as: UTF8.self).hasSuffix("]\n  }"))
    }

    @Test("streaming many rows holds one at a time and sees them all")
    func manyRows() throws {
        let dir = TempDir()
        var jsonl: [UInt8] = []
        let count = 5_000
        for i in 0..<count {
            let line =
                #"{"instance_id": "o__r.0000abcd.pr_\#(i)", "repo": "swesmith/o__r.0000abcd", "#
                + #""patch": "\#(String(repeating: "x", count: 500))", "FAIL_TO_PASS": ["a", "b"], "PASS_TO_PASS": []}"#
            jsonl += Array(line.utf8) + [0x0A]
        }
        let path = dir.write("big.jsonl", jsonl)
        var seen = 0
        var lastId = ""
        try DatasetReader.forEachRow(atPath: path) { row in
            #expect(row.failToPassCount == 2 && row.passToPassCount == 0)
            seen += 1
            lastId = row.instanceId
        }
        #expect(seen == count)
        #expect(lastId == "o__r.0000abcd.pr_\(count - 1)")
    }

    @Test("a callback's own error stops the reading and comes back unchanged")
    func callbackError() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try DatasetReader.forEachRow(atPath: Fixtures.path("swe-agent/data_sources/swe-bench-lite-test.json")) {
                _ in
                throw Stop()
            }
        }
    }

    @Test("wrong shapes are ReadErrors with the row's JSON path")
    func wrongShapes() {
        let dir = TempDir()
        let cases: [(String, String, String, String)] = [
            ("a.json", #"[{"instance_id": "x"}, {"repo": "y"}]"#, "$[1].instance_id", "missing required key"),
            ("b.json", #"[{"instance_id": 5}]"#, "$[0].instance_id", "expected a string, found the number 5"),
            (
                "c.json", #"[{"instance_id": "x", "FAIL_TO_PASS": 3}]"#, "$[0].FAIL_TO_PASS",
                "expected a list of test names"
            ),
            ("d.json", #"[{"instance_id": "x", "FAIL_TO_PASS": "[1"}]"#, "$[0].FAIL_TO_PASS", "not JSON"),
            ("e.json", #"[{"instance_id": "x", "PASS_TO_PASS": [1]}]"#, "$[0].PASS_TO_PASS[0]", "expected a test name"),
            ("f.json", #"[1]"#, "$[0]", "expected a dataset row (an object), found the number 1"),
            ("g.json", #""rows""#, "$", "expected a dataset"),
            ("h.jsonl", "{\"instance_id\": \"x\"}\n{\"instance_id\": 2}\n", "$[1].instance_id", "(line 2)"),
            ("i.jsonl", "{\"instance_id\": \"x\"}\n{\"instance_id\": \n", "$[1].instance_id", "line 2"),
            ("j.json", #"[{"instance_id": "x"}"#, "$", "end of input"),
        ]
        for (name, json, jsonPath, message) in cases {
            let path = dir.write(name, json)
            let error = #expect(throws: ReadError.self) { _ = try DatasetReader.readRows(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.jsonPath == jsonPath, "\(name): \(error?.description ?? "")")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}
