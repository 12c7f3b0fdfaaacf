import SmithJSON
import Testing

/// `json.dumps`, `str()` and `repr()` of tricky and random values, compared with what CPython wrote.
@Suite struct PythonJSONGoldenTests {
    let cases = Golden.section("json_cases")

    @Test func goldenFileIsThere() {
        #expect(cases.count > 400)
        #expect(Golden.pycompat["unicodedata"]?.stringValue == "14.0.0")
    }

    private func check(_ field: String, _ render: (JSONValue) -> String) throws {
        var mismatches = Mismatches()
        for golden in cases {
            let source = golden["source"]!.string
            let value = try JSONParser.parse(source)
            mismatches.check(render(value), golden[field]!.string, "\(field) of \(source)")
        }
        #expect(mismatches.count == 0, "\(mismatches.report)")
    }

    @Test func dumpsDefault() throws {
        try check("dumps") { PythonJSON.dumps($0) }
    }

    @Test func dumpsWithoutEnsureASCII() throws {
        try check("dumps_ascii_false") { PythonJSON.dumps($0, ensureASCII: false) }
    }

    @Test func dumpsIndented() throws {
        try check("dumps_indent2") { PythonJSON.dumps($0, indent: 2) }
    }

    @Test func dumpsSortedKeys() throws {
        try check("dumps_sorted") { PythonJSON.dumps($0, sortKeys: true) }
    }

    @Test func str() throws {
        try check("str") { PythonRepr.str($0) }
    }

    @Test func repr() throws {
        try check("repr") { PythonRepr.repr($0) }
    }

    @Test func dumpIntoAppends() throws {
        var out = Array("prefix:".utf8)
        PythonJSON.dump(try JSONParser.parse(#"{"a": [1.0E5, "é"]}"#), into: &out, indent: 0)
        #expect(String(decoding: out, as: UTF8.self) == "prefix:{\n\"a\": [\n100000.0,\n\"\\u00e9\"\n]\n}")
        #expect(PythonJSON.dumpBytes(.string("é"), ensureASCII: false) == Array("\"é\"".utf8))
    }

    /// What Python does for the values it builds itself, even where the parser's text would say otherwise.
    @Test func pythonNumberRules() {
        #expect(PythonJSON.dumps(.number("-0")) == "0")
        #expect(PythonJSON.dumps(.number("1.0E5")) == "100000.0")
        #expect(PythonJSON.dumps(.number("1e400")) == "Infinity")
        #expect(PythonJSON.dumps(.number("-1e400")) == "-Infinity")
        #expect(PythonJSON.dumps(.number("NaN")) == "NaN")
        #expect(PythonRepr.repr(.number("NaN")) == "nan")
        #expect(PythonRepr.repr(.number("-Infinity")) == "-inf")
        #expect(PythonRepr.repr(.number("123456789012345678901234567890")) == "123456789012345678901234567890")
    }

    @Test func reprOfStrings() {
        #expect(PythonRepr.repr("it's") == #""it's""#)
        #expect(PythonRepr.repr(#"it's "both""#) == #"'it\'s "both"'"#)
        #expect(
            PythonRepr.repr("a\u{7F}\u{85}\u{A0}\u{2028}\u{E000}\u{1F600}\u{1F6DC}")
                == #"'a\x7f\x85\xa0\u2028\ue000😀\U0001f6dc'"#)
        #expect(PythonRepr.str(.string("as is\n")) == "as is\n")
        #expect(PythonRepr.str(.array([.string("x\n")])) == #"['x\n']"#)
    }
}
