import SmithDomain
import Testing

/// How users' `NAME` / `NAME@N` text is read.
@Suite("versioned names")
struct VersionedNameTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var name: String
        var version: Int?
        var testDescription: String { "'\(text)'" }
    }

    static let cases: [Case] = [
        Case(text: "x", name: "x", version: nil),
        Case(text: "x@2", name: "x", version: 2),
        // Versions count from 1: `@0` is part of the name.
        Case(text: "x@0", name: "x@0", version: nil),
        Case(text: "a@b", name: "a@b", version: nil),
        Case(text: "x@", name: "x@", version: nil),
        Case(text: "x@-1", name: "x@-1", version: nil),
        // An `@` with nothing before it is part of the name.
        Case(text: "@3", name: "@3", version: nil),
        // Split at the last `@`.
        Case(text: "a@1@2", name: "a@1", version: 2),
        // Leading zeros are read as the number.
        Case(text: "x@02", name: "x", version: 2),
        // Up to 9 digits are a version, so a date-stamped model name written as a name is read as one:
        // `claude@20240620` is version 20,240,620 of `claude` (which then does not exist, exit 3). Names with
        // such a suffix are refused when recorded (`EventValidation.name`), so this only meets typos.
        Case(text: "claude@20240620", name: "claude", version: 20_240_620),
        Case(text: "m@999999999", name: "m", version: 999_999_999),
        // 10 digits and more are part of the name.
        Case(text: "m@2024062012", name: "m@2024062012", version: nil),
    ]

    @Test("NAME@N splits into the name and a positive version of at most 9 digits", arguments: cases)
    func parse(_ c: Case) {
        let parsed = VersionedName(parsing: c.text)
        #expect(parsed.name == c.name)
        #expect(parsed.version == c.version)
        #expect(parsed == VersionedName(name: c.name, version: c.version))
        // Printing gives back the text for every case that has a version or no @-suffix to normalise.
        if c.text != "x@02" { #expect(parsed.description == c.text) }
    }

    @Test("splitVersion agrees with parsing")
    func splitVersion() {
        for c in Self.cases {
            let split = VersionedName.splitVersion(c.text)
            #expect(split?.name == (c.version == nil ? nil : c.name))
            #expect(split?.version == c.version)
        }
    }
}
