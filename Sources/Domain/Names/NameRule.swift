public import SmithStore

/// The one rule for a name a user gives to something new: a run, evaluation run, dataset, subset, SFT dataset,
/// checkpoint or benchmark result, and the name part of `NAME@N`.
///
/// A name is printable text of 1 to `maximumBytes` bytes of UTF-8 with no control or format characters, no
/// line or paragraph separators, no `/`, `\` or `..`, not starting with `-` or `.`, without spaces around it, and
/// not ending in `@<number>` (that names a version). Names become parts of file names (`sft export NAME` writes
/// `ft_xml_NAME.jsonl`), command lines and terminal output, so each refused character could move a file out of
/// its folder, read as an option, or rewrite a terminal line.
///
/// Only new names are checked (`EventLog.checkNewName`): a store written before this rule may hold names that
/// break it, and they stay readable, queryable and recordable under.
public enum NameRule {
    /// Longest name accepted, in UTF-8 bytes.
    public static let maximumBytes = 128

    /// What is wrong with `name`, as a clause ("it holds '/'"); nil when it keeps the rule.
    public static func problem(_ name: String) -> String? {
        guard !name.isEmpty else { return "it is empty" }
        guard name.utf8.count <= maximumBytes else {
            return "it is \(name.utf8.count) bytes long; at most \(maximumBytes) are accepted"
        }
        if let bad = name.unicodeScalars.first(where: isUnprintable) {
            return "it holds the unprintable character U+\(hex(bad.value))"
        }
        // Bytes, not Characters: a combining mark after '/' or '.' makes another Character but the same path.
        let bytes = Array(name.utf8)
        if bytes.contains(UInt8(ascii: "/")) { return "it holds '/'" }
        if bytes.contains(UInt8(ascii: "\\")) { return "it holds '\\'" }
        if zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) {
            return "it holds '..'"
        }
        if bytes[0] == UInt8(ascii: "-") { return "it starts with '-'" }
        if bytes[0] == UInt8(ascii: ".") { return "it starts with '.'" }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true {
            return "it starts or ends with a space"
        }
        if VersionedName.splitVersion(name) != nil { return "it ends in @<number>, which names a version" }
        return nil
    }

    /// Throws `NameError(.invalid)` when `name` breaks the rule: one line naming `field` (`--run`, `NAME`, "the
    /// run name taken from the folder name"), the name (escaped, shortened), what is wrong, and `hint` when given
    /// (e.g. "pass --run NAME").
    public static func check(
        _ name: String, _ kind: NamedKind, field: String, hint: String? = nil
    )
        throws(NameError)
    {
        guard let problem = problem(name) else { return }
        throw NameError(
            .invalid,
            (field.isEmpty ? "" : field + " ")
                + "\(shown(name)) is not a valid \(kind.noun) name: \(problem) (a name is printable, at most "
                + "\(maximumBytes) bytes, without '/', '\\' or '..', and does not start with '-' or '.')"
                + (hint.map { "; " + $0 } ?? ""))
    }

    /// Throws `NameError(.invalid)` when `fileName`, a file name derived from a recorded name, is not exactly one
    /// path component (so writing it could leave the folder it is written into); `name` is what it came from.
    public static func checkFileName(_ fileName: String, from name: String, hint: String) throws(NameError) {
        let bad =
            fileName.isEmpty || fileName == "." || fileName == ".." || fileName.utf8.contains(UInt8(ascii: "/"))
            || fileName.utf8.contains(0)
        guard bad else { return }
        throw NameError(
            .invalid,
            "the file name \(shown(fileName)) derived from \(shown(name)) is not a plain file name and could be "
                + "written outside the folder; \(hint)")
    }

    /// `name` as messages show it: quoted, control characters escaped, at most 80 characters.
    public static func shown(_ name: String) -> String {
        let head = name.count > 80 ? String(name.prefix(80)) + "…" : name
        var out = "'"
        for scalar in head.unicodeScalars {
            if isUnprintable(scalar) {
                out += "\\u{\(hex(scalar.value))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// Control (Cc) and format (Cf: bidirectional overrides, zero-width characters) scalars, line and paragraph
    /// separators: what a terminal or a file listing would not show as itself. (Unassigned scalars are not
    /// refused: which are unassigned depends on the Unicode version of the running Swift.)
    private static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: true
        default: false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension EventLog {
    /// Checks `name` against `NameRule` when no version of it is recorded as `kind` (a new name); a recorded
    /// name, which a store written before the rule may hold, passes, so it can grow and get new versions.
    public func checkNewName(_ name: String, _ kind: NamedKind, field: String, hint: String? = nil) throws {
        guard NameRule.problem(name) != nil else { return }
        var recorded = false
        try forEach(stream: kind.stream(name)) { event in
            recorded = event.type == kind.headType.rawValue
            return !recorded
        }
        if !recorded { try NameRule.check(name, kind, field: field, hint: hint) }
    }
}
