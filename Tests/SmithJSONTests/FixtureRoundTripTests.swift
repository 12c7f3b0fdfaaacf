import Foundation
import SmithJSON
import Testing

/// Every JSON fixture parsed and written back as Python would, compared by SHA-256 with CPython's output.
@Suite struct FixtureRoundTripTests {
    static let fixtures = Golden.section("fixtures")

    /// Every fixture the golden file names is still there; fixtures added since the golden file was
    /// written are not compared until `tools/golden/pycompat.py` is run again.
    @Test func goldenFixturesExist() throws {
        let files = FileManager.default.enumerator(atPath: Golden.fixturesDirectory.resolvingSymlinksInPath().path)!
            .compactMap { $0 as? String }
        let named = Self.fixtures.map { $0["path"]!.string }
        #expect(Set(named).isSubset(of: files), "fixtures changed: run tools/golden/pycompat.py")
        #expect(named.count >= 30)
    }

    @Test(arguments: fixtures.map { $0["path"]!.string })
    func roundTrip(path: String) throws {
        let golden = Self.fixtures.first { $0["path"]?.stringValue == path }!
        let bytes = [UInt8](try Data(contentsOf: Golden.fixturesDirectory.appendingPathComponent(path)))
        var values: [JSONValue] = []
        if golden["lines"]?.boolValue == true {
            values = try JSONLines.parse(bytes)
        } else {
            values = [try JSONParser.parse(bytes)]
        }
        func hash(_ render: (JSONValue) -> String) -> String {
            SHA256.hex(Array(values.map(render).joined(separator: "\n").utf8))
        }
        // A mismatch after a fixture changed on purpose: run tools/golden/pycompat.py again.
        #expect(hash { PythonJSON.dumps($0) } == golden["dumps"]!.string)
        #expect(hash { PythonJSON.dumps($0, indent: 2) } == golden["dumps_indent2"]!.string)
        #expect(hash { PythonJSON.dumps($0, ensureASCII: false) } == golden["dumps_ascii_false"]!.string)
        #expect(hash { PythonRepr.repr($0) } == golden["repr"]!.string)
        // The compact form reads back as the same value, and skipping validates the same bytes.
        for value in values {
            #expect(try JSONParser.parse(PythonJSON.compactBytes(value)) == value)
        }
        if golden["lines"]?.boolValue != true {
            try bytes.withUnsafeBytes { raw in
                var reader = JSONReader(raw)
                let range = try reader.readRawValue()
                try reader.finish()
                #expect(range.lowerBound == 0)
            }
        }
    }

    @Test func sha256OfKnownInputs() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array(repeating: UInt8(ascii: "a"), count: 1000)
        #expect(SHA256.hex(long) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
