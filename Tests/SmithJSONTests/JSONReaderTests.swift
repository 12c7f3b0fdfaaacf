import SmithJSON
import Testing

@Suite struct JSONReaderTests {
    static let document = #"""
        {"environment": "swe", "trajectory": [ {"action": "ls", "observation": "a\nb", "extra": {"x": [1, 2]}},
          {"action": "cat \"f\"", "observation": null} ], "info": {"exit_status": "submitted", "cost": 1.5e-3}}
        """#

    @Test func readsSelectedMembersAndSkipsTheRest() throws {
        var actions: [String] = []
        var observations: [String?] = []
        var info: JSONValue?
        try JSONReader.withReader(Array(Self.document.utf8)) { reader in
            try reader.readObject { key, reader in
                switch key {
                case "trajectory":
                    try reader.readArray { _, reader in
                        try reader.readObject { key, reader in
                            if key == "action" { actions.append(try reader.readString()) }
                            if key == "observation" { observations.append(try reader.readStringOrNull()) }
                        }
                    }
                case "info": info = try reader.readValue()
                default: break
                }
            }
            try reader.finish()
        }
        #expect(actions == ["ls", #"cat "f""#])
        #expect(observations == ["a\nb", nil])
        #expect(info?["cost"] == .number("1.5e-3"))
    }

    @Test func rawValuesAreExactBytes() throws {
        let text = #" [ {"a": 1} ,"x\"y" ,  -0.0e1,[ ],null ] "#
        let bytes = Array(text.utf8)
        var slices: [String] = []
        try JSONReader.withReader(bytes) { reader in
            try reader.readArray { _, reader in
                let range = try reader.readRawValue()
                slices.append(String(decoding: bytes[range], as: UTF8.self))
            }
            try reader.finish()
        }
        #expect(slices == [#"{"a": 1}"#, #""x\"y""#, "-0.0e1", "[ ]", "null"])
    }

    @Test func scalarsAndKinds() throws {
        let bytes = Array(#"[true, false, null, 42, -7.5, "s", null, [], {}]"#.utf8)
        try JSONReader.withReader(bytes) { reader in
            var kinds: [JSONReader.Kind] = []
            var values: [String] = []
            try reader.readArray { index, reader in
                kinds.append(try reader.peekKind())
                switch index {
                case 0, 1: values.append(String(try reader.readBool()))
                case 2:
                    try reader.readNull()
                    values.append("null")
                case 3: values.append(String(try reader.readInt()))
                case 4: values.append(try reader.readNumberText())
                case 5: values.append(try reader.readStringOrNull() ?? "nil")
                default: values.append(String(reader.readNullIfPresent()))
                }
            }
            #expect(kinds == [.bool, .bool, .null, .number, .number, .string, .null, .array, .object])
            #expect(values == ["true", "false", "null", "42", "-7.5", "s", "true", "false", "false"])
            #expect(reader.isAtEnd)
        }
        try JSONReader.withReader(Array("[1.5e2, NaN]".utf8)) { reader in
            let values = try reader.readElements { reader in try reader.readDouble() }
            #expect(values.first == 150)
            #expect(values.last?.isNaN == true)
        }
    }

    @Test func errorsCarryThePath() {
        let bytes = Array(#"{"a": {"b": [1, tru]}, "c": 2}"#.utf8)
        #expect {
            try JSONReader.withReader(bytes) { reader in
                try reader.readObject { key, reader in
                    if key == "c" { _ = try reader.readInt() }
                }
            }
        } throws: { error in
            let error = error as? JSONParseError
            return error?.path == "$.a.b[1]" && error?.message == "unexpected character ']', expected 'true'"
        }
    }

    @Test func typeMismatchesAndCallerErrorsCarryThePath() {
        let bytes = Array(#"{"steps": [{"n": 1}, {"n": "two"}]}"#.utf8)
        #expect {
            try JSONReader.withReader(bytes) { reader in
                try reader.readObject { _, reader in
                    try reader.readArray { _, reader in
                        try reader.readObject { _, reader in _ = try reader.readInt() }
                    }
                }
            }
        } throws: { error in
            let error = error as? JSONParseError
            return error?.path == "$.steps[1].n" && error?.message == "expected a number, found a string"
                && error?.offset == 27
        }
        #expect {
            try JSONReader.withReader(bytes) { reader in
                try reader.readObject { _, reader in
                    try reader.readArray { index, reader in
                        if index == 1 { throw reader.error("step 1 is not allowed") }
                    }
                }
            }
        } throws: { error in
            (error as? JSONParseError)?.path == "$.steps[1]"
        }
    }

    @Test func otherErrorsPassThrough() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try JSONReader.withReader(Array("[1, 2]".utf8)) { reader in
                try reader.readArray { _, _ in throw Stop() }
            }
        }
    }

    @Test func skipValueValidates() {
        let cases: [(String, String)] = [
            (#"{"a": "\q"}"#, "$.a"), ("[1, [2, {\"k\": \"\u{1}\"}]]", "$[1][1].k"), (#"{"a": 1 "b"}"#, "$"),
            ("[01]", "$"), (#"{"k\"ey": [1,]}"#, #"$['k"ey'][1]"#),
        ]
        for (text, path) in cases {
            #expect {
                try JSONReader.withReader(Array(text.utf8)) { reader in
                    try reader.skipValue()
                    try reader.finish()
                }
            } throws: { error in
                (error as? JSONParseError)?.path == path
            }
        }
    }

    @Test func jsonLines() throws {
        let text = "{\"a\": 1}\r\n\n   \r\n[2]\n\"three\"\r\n  \n4"
        var seen: [(Int, String)] = []
        let bytes = Array(text.utf8)
        JSONLines.forEachLine(bytes) { number, range in
            seen.append((number, String(decoding: bytes[range], as: UTF8.self)))
        }
        #expect(seen.map(\.0) == [1, 4, 5, 7])
        #expect(seen.map(\.1) == [#"{"a": 1}"#, "[2]", #""three""#, "4"])
        #expect(
            try JSONLines.parse(bytes) == [
                .object([("a", .number("1"))]), .array([.number("2")]), .string("three"), .number("4"),
            ])
        #expect {
            try JSONLines.parse(Array("1\n\n[2,\n3".utf8))
        } throws: { error in
            let error = error as? JSONParseError
            return error?.line == 3 && error?.offset == 6
        }
        #expect(try JSONLines.parse([UInt8]()) == [])
    }
}
