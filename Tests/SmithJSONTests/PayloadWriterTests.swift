import Testing

@testable import SmithJSON

@Suite("payload writer")
struct PayloadWriterTests {
    /// The fast writer must give exactly the general writer's bytes: event ids hash the canonical ones.
    @Test("compact and canonical bytes match PythonJSON's for flat, nested, unsorted and escaped payloads")
    func matchesPythonJSON() {
        let values: [JSONValue] = [
            .object([]),
            .object([("b", .int(1)), ("a", .string("x"))]),
            .object([("a", .int(1)), ("b", .null), ("c", .bool(true))]),
            .object([("k", .int(1)), ("k", .int(2)), ("a", .number("1.50")), ("k", .string("z"))]),
            .object([("ab", .int(1)), ("a", .int(2)), ("", .int(3)), ("é", .string("ü")), ("z", .string("😀"))]),
            .object([("z", .array([.int(1), .object([("y", .int(1)), ("x", .int(2))])])), ("m", .object([]))]),
            .object([("quote", .string("say \"hi\"")), ("a", .int(1))]),
            .object([("ctl", .string("line\nbreak\u{1}")), ("a", .int(1))]),
            .object([("back\\slash", .int(1)), ("a", .int(1))]),
            .array([.string("a"), .object([("b", .int(1)), ("a", .int(2))])]),
            .string("plain"), .string("tab\there"), .number("-0"), .bool(false), .null,
            .object([
                ("instance_id", .string("owner__repo.abcdef12.func_pm_op_swap__w_1")), ("resolved", .bool(true)),
                ("f2p_success", .number("3")), ("f2p_failure", .number("0")), ("writer", .string("w")),
                ("index", .number("1")),
            ]),
        ]
        for value in values {
            var compact: [UInt8] = [0xAA]
            var canonical: [UInt8] = []
            let wroteCanonical = PayloadWriter.write(value, compact: &compact, canonical: &canonical)
            let expectedCompact = PythonJSON.compactBytes(value)
            #expect(Array(compact.dropFirst()) == expectedCompact, "\(value)")
            let gotCanonical = wroteCanonical ? canonical : Array(compact.dropFirst())
            #expect(gotCanonical == PythonJSON.canonicalBytes(value), "\(value)")
        }
    }
}
