/// The parts of a task instance id, and the bug kind it names.
///
/// SWE-smith ids are `<owner>__<repo>.<commit8>.<bug>` (`pandas-dev__pandas.95280573.pr_53652`), SWE-bench ids
/// `<owner>__<repo>-<number>` (`django__django-16255`). Anything else is `.other` and keeps its text.
public enum InstanceID: Sendable, Hashable {
    case sweSmith(owner: String, repo: String, commit: String, bug: String)
    case sweBench(owner: String, repo: String, number: String)
    case other(String)

    /// The label `DatasetRow.bugType` uses for SWE-bench ids.
    public static let sweBenchBugType = "swe-bench"

    public init(_ id: String) {
        if let parsed = Self.parseSWESmith(id) {
            self = parsed
        } else if let parsed = Self.parseSWEBench(id) {
            self = parsed
        } else {
            self = .other(id)
        }
    }

    /// The kind of bug, named the way people talk about it: `pr_53652` → `pr`, `lm_rewrite__xyz` →
    /// `lm_rewrite`, `func_pm_remove_assign__abc` → `func_pm_remove_assign`, `combine_file__x` →
    /// `combine_file`; every SWE-bench id → `swe-bench`; an unrecognised id → itself.
    ///
    /// Rule for the SWE-smith bug part: the text before the first `__` when there is one (the generator's
    /// name, followed by a hash), otherwise the text before the last `_` (`pr_<number>`), otherwise all of it.
    public var bugType: String {
        switch self {
        case .sweSmith(_, _, _, let bug): return Self.bugKind(ofBugPart: bug)
        case .sweBench: return Self.sweBenchBugType
        case .other(let id): return id
        }
    }

    /// The key SWE-smith's `combine_trajs` counts this instance under in `metadata__<name>.json`
    /// (`bug_types_dist`), reproduced exactly, quirks included:
    /// `id.rsplit(".", 1)[-1].rsplit("_", 1)[0]`, then anything starting `func_pm` becomes `func_pm`.
    /// So `pr_53652` → `pr`, `lm_rewrite__xyz` → `lm_rewrite_` (trailing underscore: it splits at the last
    /// `_`), `combine_file__x` → `combine_file_`, `func_pm_remove_assign__abc` → `func_pm`, and a SWE-bench
    /// id `django__django-16255` → `django_`.
    public static func combineTrajsBugType(_ id: String) -> String {
        let lastPart = id.lastIndex(of: ".").map { String(id[id.index(after: $0)...]) } ?? id
        let bugType = lastPart.lastIndex(of: "_").map { String(lastPart[..<$0]) } ?? lastPart
        return bugType.hasPrefix("func_pm") ? "func_pm" : bugType
    }

    /// The repository key `combine_trajs` counts under: `id.rsplit(".", 1)[0]`.
    public static func combineTrajsRepo(_ id: String) -> String {
        id.lastIndex(of: ".").map { String(id[..<$0]) } ?? id
    }

    static func bugKind(ofBugPart bug: String) -> String {
        var bug = bug
        return bug.withUTF8 { bytes in
            if let sep = IDBytes.firstDoubleUnderscore(bytes, 0..<bytes.count) { return IDBytes.string(bytes, 0..<sep) }
            if let underscore = IDBytes.lastIndex(of: UInt8(ascii: "_"), in: bytes, 0..<bytes.count) {
                return IDBytes.string(bytes, 0..<underscore)
            }
            return IDBytes.string(bytes, 0..<bytes.count)
        }
    }

    // Parsing works on the UTF-8 bytes: datasets have tens of thousands of rows and the separators are ASCII.

    private static func parseSWESmith(_ id: String) -> InstanceID? {
        var id = id
        return id.withUTF8 { bytes -> InstanceID? in
            // <owner>__<repo>.<commit8>.<bug>: the commit is an 8-hex-digit segment between two dots with a `__`
            // before it (repo names may themselves contain dots, e.g. `owner__repo.js`); the last such wins.
            var dots: [Int] = []
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ".") { dots.append(i) }
            guard dots.count >= 2 else { return nil }
            for k in stride(from: dots.count - 2, through: 0, by: -1) {
                let commit = (dots[k] + 1)..<dots[k + 1]
                guard commit.count == 8, commit.allSatisfy({ IDBytes.isHexDigit(bytes[$0]) }) else { continue }
                let head = 0..<dots[k]
                let bug = (dots[k + 1] + 1)..<bytes.count
                guard !bug.isEmpty, let sep = IDBytes.firstDoubleUnderscore(bytes, head) else { continue }
                guard sep > 0, sep + 2 < head.upperBound else { continue }
                return .sweSmith(
                    owner: IDBytes.string(bytes, 0..<sep), repo: IDBytes.string(bytes, (sep + 2)..<head.upperBound),
                    commit: IDBytes.string(bytes, commit), bug: IDBytes.string(bytes, bug))
            }
            return nil
        }
    }

    private static func parseSWEBench(_ id: String) -> InstanceID? {
        var id = id
        return id.withUTF8 { bytes -> InstanceID? in
            guard let sep = IDBytes.firstDoubleUnderscore(bytes, 0..<bytes.count), sep > 0,
                let dash = IDBytes.lastIndex(of: UInt8(ascii: "-"), in: bytes, 0..<bytes.count), dash > sep + 2
            else { return nil }
            let number = (dash + 1)..<bytes.count
            guard !number.isEmpty, number.allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) else { return nil }
            return .sweBench(
                owner: IDBytes.string(bytes, 0..<sep), repo: IDBytes.string(bytes, (sep + 2)..<dash),
                number: IDBytes.string(bytes, number))
        }
    }
}

/// Byte-level helpers for instance ids.
private enum IDBytes {
    static func firstDoubleUnderscore(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            if bytes[i] == UInt8(ascii: "_") && bytes[i + 1] == UInt8(ascii: "_") { return i }
            i += 1
        }
        return nil
    }

    static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.upperBound - 1
        while i >= range.lowerBound {
            if bytes[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
