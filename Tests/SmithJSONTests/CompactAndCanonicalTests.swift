import SmithJSON
import Testing

@Suite struct CompactAndCanonicalTests {
    @Test func canonicalSortsByKeyBytesAndKeepsNumberText() throws {
        let value = try JSONParser.parse(
            #"{"b": 1, "é": 0, "a": [1.0E5, "é\n\u0001/"], "A": null, "z": {"y": -0, "x": true}}"#)
        let canonical = String(decoding: PythonJSON.canonicalBytes(value), as: UTF8.self)
        #expect(canonical == #"{"A":null,"a":[1.0E5,"é\n\u0001/"],"b":1,"z":{"x":true,"y":-0},"é":0}"#)
    }

    @Test func canonicalKeepsRepeatedKeysInSourceOrder() throws {
        let value = try JSONParser.parse(#"{"b": 1, "a": 2, "b": 0, "a": 1}"#)
        #expect(String(decoding: PythonJSON.canonicalBytes(value), as: UTF8.self) == #"{"a":2,"a":1,"b":1,"b":0}"#)
    }

    /// Keys equal under Swift's canonical equivalence are still different keys.
    @Test func keysCompareByScalars() throws {
        let value = try JSONParser.parse(#"{"\u00e9": 1, "e\u0301": 2}"#)
        #expect(String(decoding: PythonJSON.canonicalBytes(value), as: UTF8.self) == "{\"e\u{301}\":2,\"\u{E9}\":1}")
        #expect(PythonJSON.dumps(value) == #"{"\u00e9": 1, "e\u0301": 2}"#)
    }

    @Test func compactKeepsOrderAndRoundTrips() throws {
        let text = #"{"b": [1, 2.50, {"c": "\"q\"\t"}], "a": null, "b": "again", "u": "\u2028😀"}"#
        let value = try JSONParser.parse(text)
        let compact = PythonJSON.compactBytes(value)
        #expect(
            String(decoding: compact, as: UTF8.self)
                == "{\"b\":[1,2.50,{\"c\":\"\\\"q\\\"\\t\"}],\"a\":null,\"b\":\"again\",\"u\":\"\u{2028}😀\"}")
        #expect(try JSONParser.parse(compact) == value)
    }

    /// Frozen bytes: event ids hash these, so this output must never change.
    @Test func canonicalFormIsFrozen() throws {
        let value = try JSONParser.parse(
            #"{"type": "run", "payload": {"n": 3, "ids": ["x", "y"], "f": 0.5}, "ok": false}"#)
        #expect(
            SHA256.hex(PythonJSON.canonicalBytes(value))
                == SHA256.hex(Array(#"{"ok":false,"payload":{"f":0.5,"ids":["x","y"],"n":3},"type":"run"}"#.utf8)))
    }
}
