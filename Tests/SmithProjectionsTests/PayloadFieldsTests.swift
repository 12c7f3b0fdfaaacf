import SmithJSON
import Testing

@testable import SmithProjections

@Suite("Reading payload fields")
struct PayloadFieldsTests {
    private func fields(_ json: String) throws -> PayloadFields {
        try PayloadFields(bytes: Array(json.utf8))
    }

    @Test("scalars, nulls and nested values read from the bytes as they are")
    func scalars() throws {
        var f = try fields(
            #"{"s":"plain","e":"q\"u\\o\nt\u00e9 \ud83d\ude00","n":null,"i":-42,"big":9223372036854775807,"#
                + #""d":1e-05,"t":true,"f":false,"o":{"a":"}]","b":[1,{"c":null}]},"a":[],"x":"ignored"}"#)
        #expect(try f.string("s") == "plain")
        #expect(try f.string("e") == "q\"u\\o\nté 😀")
        #expect(try f.optionalString("n") == nil)
        #expect(try f.int("i") == -42)
        #expect(try f.int("big") == Int64.max)
        #expect(try f.optionalDouble("d") == 1e-05)
        #expect(try f.bool("t") && !(try f.bool("f")))
        #expect(try f.objectJSON("o") == #"{"a":"}]","b":[1,{"c":null}]}"#)
        #expect(try f.arrayJSON("a") == "[]")
        // Out of order lookups still work.
        #expect(try f.optionalInt("i") == -42)
        #expect(try f.string("s") == "plain")
    }

    @Test("white space and unusual keys fall back to the full parser")
    func fallback() throws {
        var spaced = try fields("{ \"a\" : 1 ,\n \"b\" : [ 1, 2 ] }")
        #expect(try spaced.int("a") == 1)
        #expect(try spaced.arrayJSON("b") == "[1,2]")
        var escapedKey = try fields(#"{"st\u0065ps":3}"#)
        #expect(try escapedKey.int("steps") == 3)
    }

    @Test("problems are named by field")
    func problems() throws {
        var f = try fields(#"{"i":1.5,"huge":99999999999999999999,"s":3,"n":null,"h":"ABC"}"#)
        #expect(throws: ApplyFailure.self) { try f.int("i") }
        #expect((try? f.int("huge")) == nil)
        #expect(failure { try f.string("s") } == "field 's' must be a string, found the number 3")
        #expect(failure { try f.int("n") } == "field 'n' must be an integer, found null")
        #expect(failure { try f.string("missing") } == "required field 'missing' is missing")
        #expect(failure { try f.hexDigest("h") } == "field 'h' must be 64 lowercase hex digits, found 'ABC'")
        #expect(
            failure { _ = try PayloadFields(bytes: Array("{\"a\":".utf8)) }?.hasPrefix(
                "its payload is not valid JSON") == true)
        #expect(failure { _ = try PayloadFields(bytes: Array("[1]".utf8)) } == "the payload is not a JSON object")
    }

    private func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ApplyFailure {
            return error.reason
        } catch {
            return "\(error)"
        }
    }
}
