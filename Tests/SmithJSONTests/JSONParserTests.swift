import SmithJSON
import Testing

@Suite struct JSONParserTests {
    @Test func keepsOrderDuplicatesAndNumberText() throws {
        let value = try JSONParser.parse(#"{"b": 1.0E5, "a": [-0, 1e-05], "b": null}"#)
        guard case .object(let pairs) = value else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.0) == ["b", "a", "b"])
        #expect(pairs[0].1 == .number("1.0E5"))
        #expect(pairs[1].1 == .array([.number("-0"), .number("1e-05")]))
        #expect(pairs[2].1 == .null)
    }

    @Test func acceptsWhatPythonAccepts() throws {
        #expect(
            try JSONParser.parse("[NaN, Infinity, -Infinity]")
                == .array([.number("NaN"), .number("Infinity"), .number("-Infinity")]))
        #expect(try JSONParser.parse(" \t\r\n 7 \n") == .number("7"))
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("true".utf8)) == .bool(true))
        #expect(try JSONParser.parse(#""\/\b\f\n\r\t\"\\\u00e9\uD83D\uDE00""#) == .string("/\u{8}\u{C}\n\r\t\"\\é😀"))
        #expect(try JSONParser.parse("\"caf\u{E9} 日本 😀\"") == .string("café 日本 😀"))
        #expect(try JSONParser.parse(Array("[1]".utf8)[...]) == .array([.number("1")]))
        #expect(try JSONParser.parse(AnyCollection(Array("{}".utf8))) == .object([]))
    }

    /// Python keeps lone surrogate escapes; a Swift String cannot, so they become U+FFFD.
    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse(#""a\udc00b""#) == .string("a\u{FFFD}b"))
        #expect(try JSONParser.parse(#""\ud800\ud800\udc00""#) == .string("\u{FFFD}\u{10000}"))
        #expect(try JSONParser.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONParser.parse(#""\udbff\udfff""#) == .string("\u{10FFFF}"))
    }

    @Test func nestingLimit() throws {
        let depth = JSONReader.maximumDepth
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(deep) }
        let tooDeep = "[" + deep + "]"
        #expect { try JSONParser.parse(tooDeep) } throws: { error in
            (error as? JSONParseError)?.message == "nesting deeper than 1000 levels"
        }
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var input: [UInt8]
        var path: String
        var message: String
        var offset: Int
        var testDescription: String { String(decoding: input, as: UTF8.self) }

        init(_ input: String, _ path: String, _ message: String, at offset: Int) {
            self.init(Array(input.utf8), path, message, at: offset)
        }

        init(_ input: [UInt8], _ path: String, _ message: String, at offset: Int) {
            self.input = input
            self.path = path
            self.message = message
            self.offset = offset
        }
    }

    static let errorCases: [ErrorCase] = [
        .init("", "$", "unexpected end of input, expected a value", at: 0),
        .init("   ", "$", "unexpected end of input, expected a value", at: 3),
        .init(#"{"a": [1, 2"#, "$.a", "unexpected end of input, expected ',' or ']'", at: 11),
        .init(#"{"a": "abc"#, "$.a", "unexpected end of input, unterminated string", at: 10),
        .init(#"{"a": "ab\"#, "$.a", "unexpected end of input, unterminated string", at: 10),
        .init(#"{"a""#, "$", "unexpected end of input, expected ':' after the key", at: 4),
        .init(#"{"a": tr"#, "$.a", "unexpected end of input, expected 'true'", at: 8),
        .init(#"[-"#, "$[0]", "unexpected end of input, expected a digit", at: 2),
        .init("[1, 2] x", "$", "unexpected character 'x', expected end of input after the value", at: 7),
        .init("01", "$", "unexpected character '1', expected end of input after the value", at: 1),
        .init("{} {}", "$", "unexpected character '{', expected end of input after the value", at: 3),
        .init(#"{"a": "\x"}"#, "$.a", #"invalid escape '\x'"#, at: 7),
        .init(#"["\u12g4"]"#, "$[0]", #"invalid \u escape (expected four hex digits)"#, at: 2),
        .init("[1, {\"b\": \"x\ny\"}]", "$[1].b", "invalid control character 0x0A in a string", at: 12),
        .init("[\"\t\"]", "$[0]", "invalid control character 0x09 in a string", at: 2),
        .init(
            #"{"info": {"model_stats": {"a": 1 "b": 2}}}"#, "$.info.model_stats",
            "unexpected character '\"', expected ',' or '}'", at: 33),
        .init("[1, 2}", "$", "unexpected character '}', expected ',' or ']'", at: 5),
        .init(#"{"a": 1]"#, "$", "unexpected character ']', expected ',' or '}'", at: 7),
        .init(#"{"a" 1}"#, "$", "unexpected character '1', expected ':' after the key", at: 5),
        .init("{1: 2}", "$", "unexpected character '1', expected a string key or '}'", at: 1),
        .init(#"{"a": 1, }"#, "$", "unexpected character '}', expected a string key", at: 9),
        .init("[1,]", "$[1]", "unexpected character ']', expected a value", at: 3),
        .init("[1.]", "$[0]", "unexpected character ']', expected a digit after '.'", at: 3),
        .init("[1e+]", "$[0]", "unexpected character ']', expected a digit in the exponent", at: 4),
        .init("[-NaN]", "$[0]", "unexpected character 'N', expected a digit", at: 2),
        .init("[trux]", "$[0]", "unexpected character 'x', expected 'true'", at: 4),
        .init("[nul]", "$[0]", "unexpected character ']', expected 'null'", at: 4),
        .init("['a']", "$[0]", "unexpected character ''', expected a value", at: 1),
        .init(
            #"{"a b": {"c": [0, {"d's": tru}]}}"#, "$['a b'].c[1]['d\\'s']",
            "unexpected character '}', expected 'true'", at: 29),
        .init([0x5B, 0x22, 0x61, 0xFF, 0x62, 0x22, 0x5D], "$[0]", "invalid UTF-8", at: 3),
        .init([0x5B, 0xFF, 0x5D], "$[0]", "invalid UTF-8", at: 1),
        .init([0x22, 0xC0, 0x80, 0x22], "$", "invalid UTF-8", at: 1),
        .init([0x22, 0xED, 0xA0, 0x80, 0x22], "$", "invalid UTF-8", at: 1),
        .init([0x22, 0x61, 0xE2, 0x82, 0x22], "$", "invalid UTF-8", at: 2),
        .init([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "$", "invalid UTF-8", at: 1),
        .init([0x7B, 0x22, 0xFE, 0x22, 0x3A, 0x31, 0x7D], "$", "invalid UTF-8", at: 2),
        .init("[é]", "$[0]", "unexpected character 'é', expected a value", at: 1),
        .init("[\u{0}]", "$[0]", "unexpected byte 0x00, expected a value", at: 1),
    ]

    @Test(arguments: errorCases)
    func rejects(_ errorCase: ErrorCase) {
        #expect {
            try JSONParser.parse(errorCase.input)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            #expect(error.path == errorCase.path)
            #expect(error.message == errorCase.message)
            #expect(error.offset == errorCase.offset)
            return true
        }
    }

    @Test func errorsSayLineAndColumn() {
        let input = "{\n  \"info\": {\"model_stats\": {\n  \"é\": 1 2}}}"
        do {
            _ = try JSONParser.parse(input)
            Issue.record("accepted bad input")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 10)
            #expect(error.offset == 40)
            #expect(error.path == "$.info.model_stats")
            #expect(
                error.description
                    == "$.info.model_stats: unexpected character '2', expected ',' or '}' at line 3 column 10 (byte 40)"
            )
        }
    }

    @Test func longStringsWithEscapesAtEveryPosition() throws {
        // Exercise the eight-bytes-at-a-time scanner around each alignment.
        for prefix in 0..<20 {
            for escape in [#"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", "😀"] {
                let text = String(repeating: "a", count: prefix) + escape + String(repeating: "b", count: 19 - prefix)
                let decoded = try JSONParser.parse("[\"\(text)\", 1]")
                let expected =
                    String(repeating: "a", count: prefix)
                    + ["\n", "\"", "\\", "é", "😀", "é", "😀"][
                        [#"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", "😀"].firstIndex(of: escape)!]
                    + String(repeating: "b", count: 19 - prefix)
                #expect(decoded == .array([.string(expected), .number("1")]))
            }
            let bad = Array(("[\"" + String(repeating: "a", count: prefix)).utf8) + [0x0A] + Array("\"]".utf8)
            #expect { try JSONParser.parse(bad) } throws: { ($0 as? JSONParseError)?.offset == 2 + prefix }
        }
    }
}
