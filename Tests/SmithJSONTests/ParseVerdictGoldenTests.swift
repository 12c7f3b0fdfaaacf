import SmithJSON
import Testing

/// Damaged documents: the parser and the validating skip accept exactly what CPython's `json.loads` accepts.
@Suite struct ParseVerdictGoldenTests {
    @Test func acceptsAndRejectsAsPythonDoes() {
        let cases = Golden.section("parse_verdicts")
        #expect(cases.count == 3000)
        var mismatches = Mismatches()
        for golden in cases {
            let hex = golden[0].string
            let bytes = Self.bytes(hex: hex)
            let expected = golden[1].stringValue ?? "rejected"
            let parsed = (try? JSONParser.parse(bytes)).map { PythonJSON.dumps($0) } ?? "rejected"
            mismatches.check(parsed, expected, "parse of \(hex)")
            let skipped: Bool = bytes.withUnsafeBytes { raw in
                var reader = JSONReader(raw)
                return (try? reader.skipValue()) != nil && (try? reader.finish()) != nil
            }
            mismatches.check(
                skipped ? "accepted" : "rejected", expected == "rejected" ? "rejected" : "accepted",
                "skip of \(hex)")
        }
        #expect(mismatches.count == 0, "\(mismatches.report)")
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
    }
}
