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
        if let range = bug.firstRange(of: "__") { return String(bug[..<range.lowerBound]) }
        if let underscore = bug.lastIndex(of: "_") { return String(bug[..<underscore]) }
        return bug
    }

    private static func parseSWESmith(_ id: String) -> InstanceID? {
        // <owner>__<repo>.<commit8>.<bug>: the commit is the 8 hex digits between the last two dots that
        // have a `__` before them (repo names may themselves contain dots, e.g. `owner__repo.js`).
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        for i in stride(from: parts.count - 2, through: 1, by: -1) {
            let commit = parts[i]
            guard commit.count == 8, commit.allSatisfy(\.isASCIIHexDigit) else { continue }
            let head = parts[..<i].joined(separator: ".")
            let bug = parts[(i + 1)...].joined(separator: ".")
            guard let sep = head.firstRange(of: "__"), !bug.isEmpty else { continue }
            let owner = String(head[..<sep.lowerBound])
            let repo = String(head[sep.upperBound...])
            guard !owner.isEmpty, !repo.isEmpty else { continue }
            return .sweSmith(owner: owner, repo: repo, commit: String(commit), bug: bug)
        }
        return nil
    }

    private static func parseSWEBench(_ id: String) -> InstanceID? {
        guard let sep = id.firstRange(of: "__"), let dash = id.lastIndex(of: "-"), dash > sep.upperBound else {
            return nil
        }
        let number = id[id.index(after: dash)...]
        guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit) else { return nil }
        let owner = String(id[..<sep.lowerBound])
        let repo = String(id[sep.upperBound..<dash])
        guard !owner.isEmpty, !repo.isEmpty else { return nil }
        return .sweBench(owner: owner, repo: repo, number: String(number))
    }
}
