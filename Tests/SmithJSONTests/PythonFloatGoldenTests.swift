import SmithJSON
import Testing

/// `repr(float)` of thousands of doubles, compared with what CPython wrote.
@Suite struct PythonFloatGoldenTests {
    @Test func reprOfBitPatterns() {
        let cases = Golden.section("float_bits")
        #expect(cases.count > 4000)
        var mismatches = Mismatches()
        for golden in cases {
            let bits = UInt64(golden[0].string, radix: 16)!
            mismatches.check(PythonFloat.repr(Double(bitPattern: bits)), golden[1].string, "bits \(golden[0].string)")
        }
        #expect(mismatches.count == 0, "\(mismatches.report)")
    }

    @Test func reprOfDecimalLiterals() {
        let cases = Golden.section("float_literals")
        #expect(cases.count == 2000)
        var mismatches = Mismatches()
        for golden in cases {
            let literal = golden[0].string
            mismatches.check(PythonRepr.repr(.number(literal)), golden[1].string, "repr of \(literal)")
            mismatches.check(PythonJSON.dumps(.number(literal)), golden[2].string, "json of \(literal)")
        }
        #expect(mismatches.count == 0, "\(mismatches.report)")
    }

    @Test(arguments: [
        (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1e-5, "1e-05"), (0.0001, "0.0001"), (1.5e-7, "1.5e-07"),
        (100000.0, "100000.0"), (-0.0, "-0.0"), (0.0, "0.0"), (.infinity, "inf"), (-.infinity, "-inf"),
        (.nan, "nan"), (-.nan, "nan"), (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.1 + 0.2, "0.30000000000000004"), (1e22, "1e+22"), (123.456e-10, "1.23456e-08"), (2.5, "2.5"),
        (9007199254740993.0, "9007199254740992.0"), (1234567890123456.7, "1234567890123456.8"),
    ])
    func reprOf(value: Double, expected: String) {
        #expect(PythonFloat.repr(value) == expected)
    }
}
