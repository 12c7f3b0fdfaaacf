import SmithDomain
import SmithStore
import SmithTestSupport
import Testing

/// The one rule for new names, and how names recorded before it stay usable.
@Suite("name rule")
struct NameRuleTests {
    @Test(
        "printable names without path parts are accepted",
        arguments: [
            "x", "sample-run", "qwen-7b_epoch3", "claude@latest", "x@0", "a.b", "v1.2", "Ünïcode ✓", "with space",
            "a-", "SWE-smith:2025", String(repeating: "a", count: NameRule.maximumBytes),
        ])
    func accepted(_ name: String) {
        #expect(NameRule.problem(name) == nil)
    }

    @Test(
        "names that could leave a folder, read as an option or hide characters are refused",
        arguments: [
            ("", "empty"), ("a/b", "'/'"), ("x/../../y", "'/'"), ("..", "'..'"), ("a..b", "'..'"),
            ("a\\b", "'\\'"), ("-rf", "'-'"), (".hidden", "'.'"), ("a\u{7}b", "U+0007"), ("line\nbreak", "U+000A"),
            ("tab\tx", "U+0009"), ("nul\u{0}", "U+0000"), ("rtl\u{202E}txt", "U+202E"), ("zero\u{200B}width", "U+200B"),
            ("sep\u{2028}x", "U+2028"), (" padded", "space"), ("padded ", "space"), ("x@3", "@<number>"),
            (String(repeating: "é", count: 65), "130 bytes"),
            // A combining mark after '/' or '.' is another Character but the same bytes in a path.
            ("a/\u{301}b", "'/'"), ("x..\u{301}y", "'..'"),
        ])
    func refused(_ name: String, _ why: String) throws {
        let problem = try #require(NameRule.problem(name), "\(name.debugDescription) was accepted")
        #expect(problem.contains(why), "\(name.debugDescription): \(problem)")
        let error = try #require(throws: NameError.self) { try NameRule.check(name, .run, field: "--run") }
        #expect(error.code == .invalid)
        // One line, whatever the name holds.
        #expect(
            !error.message.contains("\n") && !error.message.contains("\u{7}") && !error.message.contains("\u{202E}"))
        #expect(error.message.hasPrefix("--run '"))
    }

    @Test("a refusal shows the name escaped and shortened, with the hint")
    func message() throws {
        let error = try #require(throws: NameError.self) {
            try NameRule.check(
                "a\u{1B}[2Jb", .dataset, field: "the dataset name taken from the file name", hint: "pass --name NAME")
        }
        #expect(
            error.message.hasPrefix(
                #"the dataset name taken from the file name 'a\u{001B}[2Jb' is not a valid dataset name"#))
        #expect(error.message.hasSuffix("; pass --name NAME"))
        #expect(NameRule.shown(String(repeating: "x", count: 200)).count == 83)
    }

    @Test("a derived file name must be one path component")
    func fileNames() throws {
        try NameRule.checkFileName("ft_xml_a.jsonl", from: "a", hint: "pass -o FILE")
        for bad in ["ft_xml_x/../../y.jsonl", "..", ".", "", "a/b", "nul\u{0}"] {
            let error = try #require(throws: NameError.self) {
                try NameRule.checkFileName(bad, from: "x", hint: "pass -o FILE")
            }
            #expect(error.code == .invalid && error.message.hasSuffix("pass -o FILE"))
        }
    }

    @Test("only new names are checked: a name recorded before the rule stays usable")
    func recordedNamesPass() throws {
        let store = try TemporaryStore()
        // Written as an older smithlog could: the events' own validation never refused '/'.
        try store.append(SampleEvents.sftDatasetBuilt(name: "old/../name"))
        try store.log.checkNewName("old/../name", .sft, field: "NAME")
        #expect(
            try store.log.resolve(VersionedName(parsing: "old/../name@1"), .sft, as: SftDatasetBuilt.self).version == 1)
        // The same text for another kind, and any new name breaking the rule, is refused.
        let error = try #require(throws: NameError.self) {
            try store.log.checkNewName("old/../name", .run, field: "--run")
        }
        #expect(error.code == .invalid)
        try store.log.checkNewName("fine", .sft, field: "NAME")
    }

    @Test("a reference to a name that is not recorded and breaks the rule is invalid, not merely unknown")
    func unknownReferences() throws {
        let store = try TemporaryStore()
        let invalid = try #require(throws: NameError.self) {
            try store.log.resolve(VersionedName(parsing: "x/../y@1"), .sft, as: SftDatasetBuilt.self)
        }
        #expect(invalid.code == .invalid)
        #expect(
            invalid.message.contains("no SFT dataset named 'x/../y' is recorded") && invalid.message.contains("'/'"))
        let unknown = try #require(throws: NameError.self) {
            try store.log.resolve(VersionedName(parsing: "nope"), .sft, as: SftDatasetBuilt.self)
        }
        #expect(unknown.code == .notFound)
    }
}
